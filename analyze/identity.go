package analyze

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// identity maps the spellings of a host seen in the inputs (case, FQDN, port@host) to the
// triad's members.
type identity struct {
	names   []string
	aliases [][]string
	// memo keeps lookup's answers (-1: none): every lmstat run names the servers again. see
	// clears it when it adds a spelling.
	memo map[string]int
}

// hostKey is the comparable form of a host name: lower case, without "port@".
func hostKey(s string) string {
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToLower(strings.TrimSpace(s))
}

func isIP(s string) bool {
	return strings.Count(s, ".") == 3 && strings.Trim(s, "0123456789.") == ""
}

// shortKey is the first label of a host name (not of an IP address).
func shortKey(s string) string {
	k := hostKey(s)
	if isIP(k) {
		return k
	}
	if i := strings.IndexByte(k, '.'); i > 0 {
		return k[:i]
	}
	return k
}

// lookup finds the member a spelling names: the same name in any case first, then the same
// short name. ok is false when it names none, or more than one.
func (id *identity) lookup(name string) (int, bool) {
	if i, ok := id.memo[name]; ok {
		return i, i >= 0
	}
	i, ok := id.find(name)
	if !ok {
		i = -1
	}
	if id.memo == nil {
		id.memo = map[string]int{}
	}
	if len(id.memo) < 1024 {
		id.memo[name] = i
	}
	return i, ok
}

// find is lookup without the memo.
func (id *identity) find(name string) (int, bool) {
	if name == "" {
		return -1, false
	}
	k := hostKey(name)
	for i, n := range id.names {
		if hostKey(n) == k {
			return i, true
		}
	}
	for i, al := range id.aliases {
		for _, a := range al {
			if hostKey(a) == k {
				return i, true
			}
		}
	}
	sk, found := shortKey(name), -1
	for i, n := range id.names {
		if shortKey(n) == sk {
			if found >= 0 {
				return -1, false
			}
			found = i
		}
	}
	return found, found >= 0
}

// why says why a name matches no member: none has it, or its short name fits several.
func (id *identity) why(at, name string) msg.Text {
	sk := shortKey(name)
	var fits []string
	for _, n := range id.names {
		if shortKey(n) == sk {
			fits = append(fits, n)
		}
	}
	if len(fits) > 1 {
		return msg.New("warn.lmstat-ambiguous-server", "at", msg.Raw(at), "name", msg.Raw(name), "candidates", msg.Or(fits))
	}
	return msg.New("warn.lmstat-unknown-server", "at", msg.Raw(at), "name", msg.Raw(name), "members", msg.Raw(strings.Join(id.names, ", ")))
}

// see records a spelling of member i.
func (id *identity) see(i int, name string) {
	if i < 0 || name == "" || name == id.names[i] {
		return
	}
	for _, a := range id.aliases[i] {
		if a == name {
			return
		}
	}
	id.aliases[i] = append(id.aliases[i], name)
	id.memo = nil
}

// addUnique appends name unless a spelling of the same host is already there.
func addUnique(list []string, name string) []string {
	if name == "" {
		return list
	}
	k := hostKey(name)
	for _, x := range list {
		if hostKey(x) == k {
			return list
		}
	}
	return append(list, name)
}

// members decides the triad's member list and its order: the license file's SERVER lines,
// else the lmstat "License server status:" line, else the hosts the logs name, in
// alphabetical order.
func members(files []*parser.File) (names []string, lic *parser.License, source string, warn msg.Text) {
	if f, w := chooseLicense(files); f != nil {
		for _, s := range f.License.Servers {
			names = addUnique(names, s.Host)
		}
		return names, f.License, "license", w
	}
	for _, f := range files {
		for _, s := range f.Snapshots {
			if len(s.Listed) > 0 {
				for _, h := range s.Listed {
					names = addUnique(names, h)
				}
				// lmstat may have been pointed at only some of the servers: a log whose
				// banner names another host is a member too, after them.
				var extra []string
				for _, g := range files {
					if g.Kind == parser.KindDebugLog {
						for _, h := range g.Hosts {
							if !containsShort(names, h) && !containsShort(extra, h) {
								extra = append(extra, h)
							}
						}
					}
				}
				sort.Slice(extra, func(i, j int) bool { return hostKey(extra[i]) < hostKey(extra[j]) })
				return append(names, extra...), nil, "lmstat", msg.Text{}
			}
		}
	}
	// Banner hosts; the peers a log talks to come after them, since a peer name can be an
	// alias (FQDN) of a banner host.
	for _, f := range files {
		if f.Kind == parser.KindDebugLog {
			for _, h := range f.Hosts {
				names = addUnique(names, h)
			}
		}
	}
	for _, f := range files {
		for _, e := range f.Events {
			if e.Peer != "" && isPeerEvent(e.Kind) {
				if !containsShort(names, e.Peer) {
					names = addUnique(names, e.Peer)
				}
			}
		}
	}
	// lmstat lines without a status line (rare): their server names.
	for _, f := range files {
		for _, s := range f.Snapshots {
			for _, sl := range s.Servers {
				if !containsShort(names, sl.Name) {
					names = addUnique(names, sl.Name)
				}
			}
		}
	}
	sort.Slice(names, func(i, j int) bool { return hostKey(names[i]) < hostKey(names[j]) })
	if len(names) > 1 {
		warn = msg.New("warn.alphabetical")
	}
	return names, nil, "logs", warn
}

// chooseLicense is the license file that gives the triad and its order. License files whose
// SERVER lines are in different orders (the order-mismatch incident: one server's copy
// edited) must not give a diagnosis that depends on which came first on the command line:
// the order lmstat's "License server status:" list shows wins (lmutil read it from the license
// file of the collecting host), else the order most of the files have, else the first file;
// and the report says which files disagree and which order it took.
func chooseLicense(files []*parser.File) (*parser.File, msg.Text) {
	var lics []*parser.File
	for _, f := range files {
		if f.License != nil && len(f.License.Servers) > 0 {
			lics = append(lics, f)
		}
	}
	if len(lics) == 0 {
		return nil, msg.Text{}
	}
	order := func(hosts []string) string {
		var keys []string
		for _, h := range hosts {
			keys = append(keys, shortKey(h))
		}
		return strings.Join(keys, ",")
	}
	orderOf := func(f *parser.File) string {
		var hosts []string
		for _, s := range f.License.Servers {
			hosts = append(hosts, s.Host)
		}
		return order(hosts)
	}
	count := map[string]int{}
	for _, f := range lics {
		count[orderOf(f)]++
	}
	if len(count) == 1 {
		return lics[0], msg.Text{}
	}
	pick, why := lics[0], "warn.license-order.first"
	best := 0
	for _, f := range lics {
		if n := count[orderOf(f)]; n > best {
			best = n
			if n > 1 {
				pick, why = f, "warn.license-order.most"
			}
		}
	}
listed:
	for _, f := range files {
		for _, sn := range f.Snapshots {
			if len(sn.Listed) == 0 {
				continue
			}
			for _, l := range lics {
				if orderOf(l) == order(sn.Listed) {
					pick, why = l, "warn.license-order.lmstat"
					break listed
				}
			}
		}
	}
	var names []string
	for _, f := range lics {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	var hosts []string
	for _, s := range pick.License.Servers {
		hosts = append(hosts, s.Host)
	}
	return pick, msg.New(why, "files", names, "file", msg.Raw(pick.Name), "order", hosts)
}

func containsShort(list []string, name string) bool {
	k := shortKey(name)
	for _, x := range list {
		if shortKey(x) == k {
			return true
		}
	}
	return false
}

func isPeerEvent(k parser.EventKind) bool {
	switch k {
	case parser.EvTrying, parser.EvConnected, parser.EvLost, parser.EvTimedOut, parser.EvCannotConnect,
		parser.EvMasterIs, parser.EvSelectedMaster, parser.EvMasterShouldBe:
		return true
	}
	return false
}

// assign tells which member wrote a debug log: a --server assignment, else its banner, else a
// member's name in the file or folder name.
func assign(f *parser.File, given map[string]string, id *identity) (int, bool) {
	if s, ok := given[f.Name]; ok {
		return id.lookup(s)
	}
	if f.Host != "" {
		if i, ok := id.lookup(f.Host); ok {
			return i, true
		}
	}
	base := strings.ToLower(filepath.Base(f.Name))
	dir := strings.ToLower(filepath.Base(filepath.Dir(f.Name)))
	found := -1
	for i, n := range id.names {
		sk := shortKey(n)
		if nameHas(base, sk) || nameHas(dir, sk) {
			if found >= 0 && found != i {
				return -1, false
			}
			found = i
		}
	}
	return found, found >= 0
}

// nameHas tells whether a file name holds host as a whole word: "server1.log" and
// "lmgrd-server1.txt" hold server1, "server10.log" does not.
func nameHas(name, host string) bool {
	for i := 0; ; {
		j := strings.Index(name[i:], host)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(host)
		before := j == 0 || !isWordByte(name[j-1])
		after := end == len(name) || !isWordByte(name[end])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
