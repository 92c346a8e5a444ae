package redact

import "strings"

// Free text: the parts of lines that no known form explains (and those a form does not name:
// paths, comments, unknown lines). Collect looks in them for what identifies a site whatever
// the line says; Write replaces there every token read anywhere.

// discover records the tokens of free text: IPv4 addresses, e-mail addresses, port@host and
// user@host, UNC hosts (\\host\share), users in home folders (/home/USER, C:\Users\USER), and a
// host name before a domain already known.
func (t *Table) discover(text []byte) {
	for i := 0; i < len(text); {
		c := text[i]
		if c == '\\' && i+2 < len(text) && text[i+1] == '\\' && (i == 0 || text[i-1] != '\\') && isWordByte(text[i+2]) {
			j := hostRun(text, i+2)
			if j < len(text) && (text[j] == '\\' || text[j] == '/') {
				t.addHost(string(text[i+2:j]), KindHost)
			}
			i = j
			continue
		}
		if c == '/' || c == '\\' {
			if u, j := homeUser(text, i); u != "" {
				t.addUser(u)
				i = j
				continue
			}
		}
		if !wordStart(text, i) {
			i++
			continue
		}
		if n := ipAt(text, i); n > 0 {
			if !versionBefore(text, i) {
				t.addIP(string(text[i : i+n]))
			}
			i += n
			continue
		}
		if j := localRun(text, i); j < len(text) && text[j] == '@' && j+1 < len(text) && isWordByte(text[j+1]) {
			h := hostRun(text, j+1)
			for h > j+1 && text[h-1] == '.' {
				h--
			}
			local, host := text[i:j], string(text[j+1:h])
			switch {
			case allDigits(local):
				t.addHost(host, KindServer) // port@host: lmutil -c, lmdown
			case isIPv4(host):
				t.addUser(string(local))
				t.addIP(host)
			case hasDot(host) && !t.knownUser(local):
				t.addEmail(string(text[i:h]))
			default:
				t.addUser(string(local))
				t.addHost(host, KindWorkstation)
			}
			i = h
			continue
		}
		end := wordEnd(text, i)
		if j := labelRun(text, i); j < len(text) && text[j] == '.' && j+1 < len(text) && isWordByte(text[j+1]) {
			d := hostRun(text, j+1)
			for d > j+1 && text[d-1] == '.' {
				d--
			}
			if t.maybeHost(string(text[i:j]), string(text[j+1:d])) {
				i = d // the labels after the host are its domain, not hosts
				continue
			}
		}
		i = end
	}
}

// maybeHost records label, written before rest ("label.rest"), as a host when rest ends with
// or holds a domain read in the inputs (gpu3.cluster.acme.com: the host is gpu3, whose domain
// cluster.acme.com is under acme.com): now, or at Finish, once every domain is known. It tells
// whether label can be a host (it is one, or may be one at Finish).
func (t *Table) maybeHost(label, rest string) bool {
	if !hasLetter(label) || reservedHost(label) {
		return false
	}
	if d := t.domainWithin(rest); d != "" {
		t.addHost(label, KindHost)
		t.addDomain(d)
		return true
	}
	if len(t.maybe) < 1<<17 {
		t.maybe[lowerASCII(label)+"\x00"+lowerASCII(rest)] = true
	}
	return true
}

// domainWithin is the domain at the start of rest that ends with a known domain, whole labels
// ("cluster.acme.com" of "cluster.acme.com.log" when acme.com is known), "" when there is none.
func (t *Table) domainWithin(rest string) string {
	for p := 0; p < len(rest); {
		if n := t.domainPrefix(rest[p:]); n > 0 {
			return rest[:p+n]
		}
		i := strings.IndexByte(rest[p:], '.')
		if i < 0 {
			return ""
		}
		p += i + 1
	}
	return ""
}

// domainPrefix is the length of the known domain rest starts with, whole labels (0 when none).
func (t *Table) domainPrefix(rest string) int {
	for d := rest; d != ""; {
		if t.domains[lowerASCII(d)] != nil {
			return len(d)
		}
		i := strings.LastIndexByte(d, '.')
		if i < 0 {
			return 0
		}
		d = d[:i]
	}
	return 0
}

func (t *Table) knownUser(b []byte) bool { return t.users[lowerASCII(string(b))] != nil }

func hasDot(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return true
		}
	}
	return false
}

// hostRun is the end of the run of host name bytes from text[i].
func hostRun(text []byte, i int) int {
	for i < len(text) && isHostByte(text[i]) {
		i++
	}
	return i
}

// labelRun is the end of the run of letters, digits, '-' and '_' from text[i]: one label.
func labelRun(text []byte, i int) int {
	for i < len(text) && (isWordByte(text[i]) || text[i] == '-' || text[i] == '_') {
		i++
	}
	return i
}

// localRun is the end of the local part of an e-mail address (or a user) from text[i].
func localRun(text []byte, i int) int {
	for i < len(text) && (isHostByte(text[i]) || text[i] == '+' || text[i] == '%') {
		i++
	}
	return i
}

// homeFolders are the folders whose subfolders are named after users.
var homeFolders = []string{"home", "users", "documents and settings"}

// homeUser finds the user in a home folder path at the separator text[i]: "/home/jdoe",
// "C:\Users\jdoe", ... It returns the user and where the user ends.
func homeUser(text []byte, i int) (string, int) {
	for _, h := range homeFolders {
		j := i + 1 + len(h)
		if j+1 >= len(text) || !equalFold(text[i+1:j], h) || text[j] != text[i] {
			continue
		}
		k := j + 1
		for ; k < len(text); k++ {
			c := text[k]
			if c <= ' ' || strings.IndexByte(`/\":;,)<>|`, c) >= 0 ||
				c == '\'' && (k+1 == len(text) || !isWordByte(text[k+1])) { // O'Brien, not 'C:\Users\jdoe'
				break
			}
		}
		u := string(text[j+1 : k])
		switch lowerASCII(u) {
		case "", "public", "default", "default user", "all users", "shared", "guest", "administrator", "*":
			return "", i + 1
		}
		return u, k
	}
	return "", i + 1
}

// replace appends text to dst with every token replaced: names by their pseudonyms, secrets by
// dummies. A host name written before a domain token and read nowhere else is taken for a host
// of that domain and replaced too.
func (t *Table) replace(dst, text []byte) []byte {
	if t.m == nil || t.m.empty() && len(t.short) == 0 {
		return append(dst, text...)
	}
	start, last := len(dst), 0
	t.m.find(text, func(i, j int, tk tok) bool {
		gap := text[last:i]
		if tk.e.kind == KindDomain && len(gap) > 0 && gap[len(gap)-1] == '.' {
			k := len(gap) - 1
			for k > 0 && (isWordByte(gap[k-1]) || gap[k-1] == '-' || gap[k-1] == '_') {
				k--
			}
			if label := string(gap[k : len(gap)-1]); k < len(gap)-1 && hasLetter(label) && isWordByte(gap[k]) &&
				(k == 0 || !isHostByte(gap[k-1])) && !reservedHost(label) {
				t.addHost(label, KindHost)
				if e := t.hosts[lowerASCII(label)]; e != nil && !e.common {
					dst = append(dst, gap[:k]...)
					dst = append(dst, t.use(e, label)...)
					gap = gap[len(gap)-1:]
				}
			}
		}
		dst = append(dst, gap...)
		dst = append(dst, t.replacement(tk.e, text[i:j])...)
		last = j
		return true
	})
	dst = append(dst, text[last:]...)
	if len(t.short) > 0 {
		dst = t.shortPaths(dst, start)
	}
	return dst
}

// shortPaths replaces, in dst[from:], the names of servers too short to be looked for as words
// (lm: a word of other words, lmgrd's "lm") where they are a whole element of a path after a
// separator: a folder (followed by a separator) or a file's name before its extension:
// /home/flexadm/lm/license.dat, \\lm\share, C:\lm.log. The final scan does not look for them.
func (t *Table) shortPaths(dst []byte, from int) []byte {
	var out []byte // the text from from on, when something is replaced
	last := from
	for i := from; i < len(dst); i++ {
		if dst[i] != '/' && dst[i] != '\\' {
			continue
		}
		a := i + 1
		b := a
		for b < len(dst) && (isWordByte(dst[b]) || dst[b] == '-' || dst[b] == '_') {
			b++
		}
		if b == a || b == len(dst) || dst[b] != '/' && dst[b] != '\\' && !(dst[b] == '.' && b+1 < len(dst) && isWordByte(dst[b+1])) {
			continue // not a folder (followed by a separator) nor a file (by an extension)
		}
		if e := t.shortServer(dst[a:b]); e != nil {
			out = append(out, dst[last:a]...)
			out = append(out, t.use(e, string(dst[a:b]))...)
			last = b
		}
		i = b - 1
	}
	if out == nil {
		return dst
	}
	out = append(out, dst[last:]...)
	return append(dst[:from], out...)
}

// shortServer is the entry of the short server name s, nil when s is not one.
func (t *Table) shortServer(s []byte) *entry {
	for _, e := range t.short {
		if equalFold(s, e.key) {
			return e
		}
	}
	return nil
}

// replacement is what replaces a token found as spelled in text.
func (t *Table) replacement(e *entry, text []byte) string {
	if e.kind.secret() {
		e.n++
		return dummy(e.kind, string(text))
	}
	return t.use(e, string(text))
}
