package redact

import (
	"bytes"
	"strings"

	"github.com/lmtriad/lmtriad/parser"
)

// The line forms: where the names are in a line of a debug log, an lmstat output or a license
// file (FORMATS.md). A recognizer reads the lines of one file in order (lmstat sections and the
// continuation lines of license files need what came before) and marks spans of each: a name of
// some kind, a secret, or text kept as it is. Collect records the names the spans hold; Write
// replaces them. The rest of each line is free text (generic.go).

type spanKind uint8

const (
	spanName   spanKind = iota // a token of kind k: user, display, feature, hostid
	spanHost                   // a host name (short, FQDN, IP) of kind k
	spanSecret                 // a secret of kind k: replaced by a dummy
	spanKeep                   // text kept as it is (a date, a zone's name): its words are ordinary words
	spanVendor                 // a vendor daemon's name: kept, and an ordinary word
)

type span struct {
	start, end int
	sk         spanKind
	k          Kind
	rjust      bool // an lmstat name right-justified in 10 columns (printf "%10s"): kept so
}

type lmSection uint8

const (
	lmNone lmSection = iota
	lmServers
	lmVendors
	lmFeatures
	lmLicenseI
)

// recognizer marks the spans of the lines of one file.
type recognizer struct {
	kind parser.Kind
	sp   []span

	// debug log: the vendor daemon whose "Server started on HOST for:" list may go on
	featDaemon string

	// lmstat
	sec lmSection

	// license file
	licKeyword string // of the logical line being read
	licField   int    // its positional fields read
	licQuote   string // the key whose quoted value goes on in the next line ("" none)
	licCont    bool   // the logical line goes on in the next line
}

func (r *recognizer) mark(start, end int, sk spanKind, k Kind) {
	if start < end {
		r.sp = append(r.sp, span{start: start, end: end, sk: sk, k: k})
	}
}

// line marks the spans of one line (without its line ending); the spans are in order and do
// not overlap.
func (r *recognizer) line(text []byte) []span {
	r.sp = r.sp[:0]
	l := bytes.TrimRight(text, "\r")
	if bytes.IndexByte(l, 0) >= 0 {
		return nil // the parser drops NUL bytes before it reads a line: free text
	}
	switch r.kind {
	case parser.KindDebugLog:
		r.logLine(l)
	case parser.KindLmstat:
		r.lmstatLine(l)
	case parser.KindLicense:
		r.licenseLine(l)
	}
	return normalize(r.sp)
}

// normalize sorts spans and drops any that overlaps one before it.
func normalize(sp []span) []span {
	for i := 1; i < len(sp); i++ {
		for j := i; j > 0 && sp[j].start < sp[j-1].start; j-- {
			sp[j], sp[j-1] = sp[j-1], sp[j]
		}
	}
	out := sp[:0]
	end := 0
	for _, s := range sp {
		if s.start >= end && s.end > s.start {
			out = append(out, s)
			end = s.end
		}
	}
	return out
}

// wordAt finds s in text at or after from as a whole word (not inside a longer name), -1 when
// it is not there.
func wordAt(text []byte, s string, from int) int {
	if s == "" || from > len(text) {
		return -1
	}
	for i := from; i <= len(text)-len(s); {
		k := bytes.Index(text[i:], []byte(s))
		if k < 0 {
			return -1
		}
		k += i
		if (k == 0 || !isHostByte(text[k-1]) || text[k-1] == '.') && (k+len(s) == len(text) || !isHostByte(text[k+len(s)]) ||
			text[k+len(s)] == '.' && (k+len(s)+1 == len(text) || !isHostByte(text[k+len(s)+1]))) {
			return k
		}
		i = k + 1
	}
	return -1
}

// hostAt marks the host name s, found at or after from, as a host of kind k.
func (r *recognizer) hostAt(text []byte, s string, from int, k Kind) int {
	if cleanHost(s) == "" {
		return -1
	}
	i := wordAt(text, s, from)
	if i >= 0 {
		r.mark(i, i+len(s), spanHost, k)
	}
	return i
}

// nameAt marks the token s, found at or after from, as a name of kind k.
func (r *recognizer) nameAt(text []byte, s string, from int, k Kind) int {
	i := bytes.Index(text[min(from, len(text)):], []byte(s))
	if s == "" || i < 0 {
		return -1
	}
	i += from
	r.mark(i, i+len(s), spanName, k)
	return i
}

// Debug logs (FORMATS.md 1).

func isLmgrd(daemon string) bool { return daemon == "lmgrd" || daemon == "lmadmin" }

func (r *recognizer) logLine(l []byte) {
	at, daemon, ok := parser.Envelope(l)
	if !ok {
		r.featDaemon = ""
		return
	}
	r.mark(0, at, spanKeep, 0) // the time and the daemon's name
	msg := l[at:]
	s := string(msg)
	switch {
	case strings.HasPrefix(s, "Server's System Date and Time: "), strings.HasPrefix(s, "TIMESTAMP "),
		strings.Contains(s, "SLOG@) Start-Date: "), strings.Contains(s, "SLOG@) Time: "):
		r.mark(at, len(l), spanKeep, 0) // dates and the zone's name: the analysis reads them
		return
	}
	if r.slogClient(l, at, s) || r.hostIDLine(l, at, s) {
		r.featDaemon = ""
		return
	}
	if isLmgrd(daemon) {
		r.featDaemon = ""
		r.lmgrdLine(l, at, s)
		return
	}
	if parser.IsUsage(msg) {
		r.featDaemon = ""
		r.usage(l, at)
		return
	}
	r.vendorLine(l, at, daemon, s)
}

// slogClient marks the user and node of a line of a vendor daemon's SLOG block "Request
// processing time, when, #concurrent clients, [(private bytes (in KB)),] client info (user,
// node, FD)" (v11.12+): "00000000 ms at WHEN,#3,[(4288K),](user,node,FD)". It tells whether the
// line is one.
func (r *recognizer) slogClient(l []byte, at int, s string) bool {
	if !strings.HasPrefix(s, "(@") || !strings.Contains(s, "-SLOG@) ") || !strings.Contains(s, " ms at ") {
		return false
	}
	t := bytes.TrimRight(l, " \t")
	if len(t) == 0 || t[len(t)-1] != ')' {
		return false
	}
	a := bytes.LastIndex(t[at:], []byte(",("))
	if a < 0 || bytes.IndexByte(t[at:at+a], '#') < 0 {
		return false
	}
	a += at + 2
	in := t[a : len(t)-1]
	c2 := bytes.LastIndexByte(in, ',')
	if c2 <= 0 || !allDigits(in[c2+1:]) {
		return false
	}
	c1 := bytes.LastIndexByte(in[:c2], ',')
	if c1 <= 0 {
		return false
	}
	user, node := in[:c1], in[c1+1:c2]
	if len(bytes.TrimSpace(user)) > 0 && !bytes.ContainsAny(user, "\"()[]\t") {
		r.mark(a, a+c1, spanName, KindUser)
	}
	if cleanHost(string(node)) != "" {
		r.mark(a+c1+1, a+c2, spanHost, KindWorkstation)
	}
	return true
}

// hostIDLine marks the hostids of the lines where a vendor daemon says which hostids it reads
// (every network adapter's MAC address) and which the license wants: the SLOG block of v11.x
// ("HostID node-locked in license file: ID", "HostID of the License Server: "ID ID ..."") and
// "Wrong hostid on SERVER line" ("SERVER line says ID, hostid is "ID ID ...""). It tells whether
// the line is one of them.
func (r *recognizer) hostIDLine(l []byte, at int, s string) bool {
	for _, lead := range []string{"HostID node-locked in license file:", "HostID of the License Server:"} {
		if i := strings.Index(s, lead); i >= 0 && (i == 0 || strings.HasPrefix(s, "(@")) {
			r.hostIDs(l, at+i+len(lead), len(l))
			return true
		}
	}
	if rest, ok := strings.CutPrefix(s, "SERVER line says "); ok {
		p := at + len("SERVER line says ")
		if c := strings.Index(rest, ", hostid is "); c >= 0 {
			r.hostIDs(l, p, p+c)
			r.hostIDs(l, p+c+len(", hostid is "), len(l))
		} else {
			r.hostIDs(l, p, len(l))
		}
		return true
	}
	return false
}

func (r *recognizer) lmgrdLine(l []byte, at int, s string) {
	ev := parser.Classify("lmgrd", s)
	switch ev.Kind {
	case parser.EvStart:
		r.hostAt(l, ev.Peer, at+strings.Index(s, " started on "), KindServer)
	case parser.EvTrying, parser.EvConnected, parser.EvLost, parser.EvTimedOut, parser.EvCannotConnect,
		parser.EvMasterIs, parser.EvSelectedMaster, parser.EvMasterShouldBe:
		r.hostAt(l, ev.Peer, at, KindServer)
	case parser.EvShutdownRequest:
		from := at + len("SHUTDOWN request from ")
		r.nameAt(l, ev.Why, from, KindUser)
		if i := strings.Index(s, " at node "); i >= 0 {
			r.hostAt(l, ev.Peer, at+i, KindHost)
		}
	case parser.EvNone:
		switch {
		case strings.HasPrefix(s, "Host \"") && strings.Contains(s, "unknown in network database"),
			strings.HasPrefix(s, "Multiple SERVER lines for host \""), strings.HasPrefix(s, "Valid server hosts are:"):
			r.quoted(l, at, KindServer)
		case strings.HasPrefix(s, "\"") && strings.Contains(s, "Not a valid server host"):
			r.quoted(l, at, KindHost)
		}
	}
}

// quoted marks every "quoted" host name from at on.
func (r *recognizer) quoted(l []byte, at int, k Kind) {
	for i := at; i < len(l); {
		a := bytes.IndexByte(l[i:], '"')
		if a < 0 {
			return
		}
		a += i + 1
		b := bytes.IndexByte(l[a:], '"')
		if b < 0 {
			return
		}
		b += a
		if cleanHost(string(l[a:b])) != "" {
			r.mark(a, b, spanHost, k)
		}
		i = b + 1
	}
}

// usage marks a usage line: WHAT: "feature" [(key)] user@host [(...)], and the verbose form.
func (r *recognizer) usage(l []byte, at int) {
	i := bytes.Index(l[at:], []byte(": "))
	if i < 0 {
		return
	}
	p := at + i + 2
	if p < len(l) && l[p] == '"' {
		q := bytes.IndexByte(l[p+1:], '"')
		if q < 0 {
			return
		}
		r.mark(p+1, p+1+q, spanName, KindFeature)
		p += q + 2
	}
	for p < len(l) && l[p] == ' ' {
		p++
	}
	if p < len(l) && l[p] == '(' { // UNSUPPORTED: "feature" (license key) user@host
		q := bytes.IndexByte(l[p:], ')')
		if q < 0 {
			return
		}
		p += q + 1
		for p < len(l) && l[p] == ' ' {
			p++
		}
	}
	r.userAtHost(l, p)
}

// userAtHost marks "user@host[:display]" at l[p:]: the user may hold spaces (Windows names),
// the host ends at white space.
func (r *recognizer) userAtHost(l []byte, p int) {
	a := bytes.IndexByte(l[p:], '@')
	if a <= 0 {
		return
	}
	a += p
	user := bytes.TrimRight(l[p:a], " ")
	if len(user) == 0 || bytes.ContainsAny(user, "\"()[]\t") {
		return
	}
	r.mark(p, p+len(user), spanName, KindUser)
	h := a + 1
	e := h
	for e < len(l) && l[e] != ' ' && l[e] != '\t' {
		e++
	}
	host := l[h:e]
	if c := bytes.IndexByte(host, ':'); c > 0 { // host:display
		r.display(l, h+c+1, e, host[:c])
		host = host[:c]
	}
	if cleanHost(string(host)) != "" {
		r.mark(h, h+len(host), spanHost, KindWorkstation)
	}
}

// display marks the display l[a:b] of a client on host: the host itself (host, host:0.0) is the
// host's name; a device (/dev/pts/1) or a bare :0 stays.
func (r *recognizer) display(l []byte, a, b int, host []byte) {
	d := l[a:b]
	switch {
	case len(d) == 0, bytes.HasPrefix(d, []byte("/dev/")), d[0] == ':':
	case len(host) > 0 && len(d) >= len(host) && equalFold(bytes.ToLower(d[:len(host)]), string(bytes.ToLower(host))) &&
		(len(d) == len(host) || !isWordByte(d[len(host)]) || d[len(host)] == ':'):
		r.mark(a, a+len(host), spanHost, KindWorkstation)
	default:
		if c := bytes.IndexByte(d, ':'); c > 0 && cleanHost(string(d[:c])) != "" {
			r.mark(a, a+c, spanHost, KindWorkstation) // otherhost:0.0
			return
		}
		r.mark(a, b, spanName, KindDisplay)
	}
}

func (r *recognizer) vendorLine(l []byte, at int, daemon, s string) {
	if ev := parser.Classify(daemon, s); ev.Kind == parser.EvThoughtMaster {
		i := r.hostAt(l, ev.Peer, at, KindServer)
		r.hostAt(l, ev.Other, max(i, at)+len(ev.Peer), KindServer)
		return
	}
	switch {
	case strings.HasPrefix(s, "Server started on "):
		from := at + len("Server started on ")
		end := from
		for end < len(l) && l[end] != ' ' && l[end] != '\t' {
			end++
		}
		if cleanHost(string(l[from:end])) != "" {
			r.mark(from, end, spanHost, KindServer)
		}
		if i := bytes.Index(l[end:], []byte("for:")); i >= 0 {
			r.features(l, end+i+4)
			r.featDaemon = daemon
		}
		return
	case r.featDaemon == daemon && featureList(l[at:]):
		r.features(l, at) // the feature list goes on
		return
	}
	r.featDaemon = ""
	switch {
	case strings.HasPrefix(s, "Checkin failed feature \""):
		p := at + len("Checkin failed feature \"")
		q := bytes.IndexByte(l[p:], '"')
		if q < 0 {
			return
		}
		r.mark(p, p+q, spanName, KindFeature)
		p += q + 1
		if !bytes.HasPrefix(l[p:], []byte(": ")) {
			return
		}
		r.userHostDisplay(l, p+2, len(l))
	case strings.HasPrefix(s, "EXPIRED: "):
		r.features(l, at+len("EXPIRED: "))
	case strings.HasPrefix(s, "FEATURE ") && strings.Contains(s, " INACTIVITY TIMEOUT"):
		p := at + len("FEATURE ")
		for p < len(l) && l[p] == ' ' {
			p++
		}
		e := p
		for e < len(l) && l[e] != ' ' {
			e++
		}
		r.mark(p, e, spanName, KindFeature)
	case strings.HasPrefix(s, "license daemon on "), strings.HasPrefix(s, "WARNING - license daemon on "):
		i := strings.Index(s, "daemon on ") + len("daemon on ")
		j := strings.IndexByte(s[i:], ' ')
		if j > 0 {
			r.hostAt(l, s[i:i+j], at+i, KindServer)
		}
	case strings.HasPrefix(s, "\"") && strings.Contains(s, "^^^"): // verbose: "feature" @host (n) ^^^ ver user ip ...
		q := strings.IndexByte(s[1:], '"')
		if q < 0 {
			return
		}
		r.mark(at+1, at+1+q, spanName, KindFeature)
		if a := strings.Index(s, " @"); a > 0 {
			e := a + 2
			for e < len(s) && s[e] != ' ' {
				e++
			}
			r.hostAt(l, s[a+2:e], at+a+2, KindWorkstation)
		}
		if c := strings.Index(s, "^^^ "); c > 0 {
			f := strings.Fields(s[c+4:])
			if len(f) >= 2 {
				r.nameAt(l, f[1], at+c+4+strings.Index(s[c+4:], f[0])+len(f[0]), KindUser)
			}
		}
	}
}

// featureList tells a line that goes on with feature names: words separated by white space,
// nothing else.
func featureList(msg []byte) bool {
	t := bytes.TrimSpace(msg)
	if len(t) == 0 {
		return false
	}
	for _, c := range t {
		if !(isHostByte(c) || c == ' ' || c == '\t') {
			return false
		}
	}
	return bytes.IndexByte(t, '\t') >= 0 || bytes.IndexByte(t, ' ') < 0
}

// features marks the feature names separated by white space in l[p:].
func (r *recognizer) features(l []byte, p int) {
	for p < len(l) {
		for p < len(l) && (l[p] == ' ' || l[p] == '\t') {
			p++
		}
		e := p
		for e < len(l) && l[e] != ' ' && l[e] != '\t' {
			e++
		}
		if e > p {
			r.mark(p, e, spanName, KindFeature)
		}
		p = e
	}
}

// userHostDisplay marks "user host [display]" (words separated by spaces) in l[p:end].
func (r *recognizer) userHostDisplay(l []byte, p, end int) {
	var words [][2]int
	for i := p; i < end && len(words) < 3; {
		for i < end && l[i] == ' ' {
			i++
		}
		j := i
		for j < end && l[j] != ' ' {
			j++
		}
		if j > i {
			words = append(words, [2]int{i, j})
		}
		i = j
	}
	if len(words) < 2 {
		return
	}
	r.mark(words[0][0], words[0][1], spanName, KindUser)
	host := l[words[1][0]:words[1][1]]
	if cleanHost(string(host)) != "" {
		r.mark(words[1][0], words[1][1], spanHost, KindWorkstation)
	}
	if len(words) == 3 {
		r.display(l, words[2][0], words[2][1], host)
	}
}

// lmstat output (FORMATS.md 2).

func (r *recognizer) lmstatLine(l []byte) {
	t := bytes.TrimSpace(l)
	lead := len(l) - len(bytes.TrimLeft(l, " \t"))
	s := string(t)
	switch {
	case len(t) == 0:
		return
	case strings.HasPrefix(s, "Flexible License Manager status on "), parser.IsStamp(t):
		r.mark(0, len(l), spanKeep, 0)
		r.sec = lmNone
		return
	case (strings.HasPrefix(s, "lmutil") || strings.HasPrefix(s, "lmstat")) && strings.Contains(s, " - Copyright"):
		r.sec = lmNone
		return
	case strings.HasPrefix(s, "License server status: "):
		p := lead + len("License server status: ")
		for _, item := range strings.Split(s[len("License server status: "):], ",") {
			h := strings.TrimSpace(item)
			if i := strings.LastIndexByte(h, '@'); i >= 0 {
				h = h[i+1:]
			}
			r.hostAt(l, h, p, KindServer)
			p += len(item) + 1
		}
		r.sec = lmServers
		return
	case strings.HasPrefix(s, "License file(s) on "):
		p := lead + len("License file(s) on ")
		if i := strings.Index(s[len("License file(s) on "):], ": "); i > 0 {
			r.hostAt(l, s[len("License file(s) on "):len("License file(s) on ")+i], p, KindServer)
		}
		return
	case strings.HasPrefix(s, "Vendor daemon status (on "):
		h := strings.TrimSuffix(strings.TrimSuffix(s[len("Vendor daemon status (on "):], ":"), ")")
		r.hostAt(l, h, lead, KindServer)
		r.sec = lmVendors
		return
	case strings.HasPrefix(s, "Feature usage info:"):
		r.sec = lmFeatures
		return
	case strings.HasPrefix(s, "Users of "):
		p := lead + len("Users of ")
		if i := strings.IndexByte(s[len("Users of "):], ':'); i > 0 {
			r.mark(p, p+i, spanName, KindFeature)
		}
		r.sec = lmFeatures
		return
	case strings.HasPrefix(s, "NOTE: lmstat -i does not give"):
		r.sec = lmLicenseI
		return
	case len(t) >= 20 && len(bytes.Trim(t, "-")) == 0:
		r.sec = lmNone
		return
	case strings.HasPrefix(s, "lmgrd is not running:"), strings.HasPrefix(s, "Error getting status:"):
		return
	}
	if i := strings.Index(s, ": "); i > 0 && strings.IndexByte(s[:i], ' ') < 0 && strings.IndexByte(s[:i], '"') < 0 {
		name, rest := s[:i], s[i+2:]
		_, coded := parser.ErrorCode(rest)
		upV := strings.HasPrefix(rest, "UP v") || rest == "UP"
		switch {
		case name == "vendor_string":
			r.mark(lead+i+2, len(bytes.TrimRight(l, " \t")), spanSecret, KindVendorString)
			return
		case strings.HasPrefix(rest, "license server UP"),
			r.sec == lmServers && coded, r.sec == lmNone && coded && strings.Contains(strings.ToLower(rest), "license server"):
			r.mark(lead, lead+i, spanHost, KindServer)
			r.sp[len(r.sp)-1].rjust = lead > 0 && lead+i <= 10
			r.sec = lmServers
			return
		case r.sec == lmVendors || (upV || coded) && r.sec != lmLicenseI:
			r.mark(lead, lead+i, spanVendor, 0)
			r.sec = lmVendors
			return
		}
	}
	switch r.sec {
	case lmFeatures:
		r.lmstatFeatureLine(l, lead, s)
	case lmLicenseI:
		if !strings.HasPrefix(s, "Feature ") && !strings.HasPrefix(s, "_") {
			e := lead
			for e < len(l) && l[e] != ' ' && l[e] != '\t' {
				e++
			}
			r.mark(lead, e, spanName, KindFeature)
		}
	}
}

// lmstatFeatureLine marks a line of the feature usage section (FORMATS.md 2.4).
func (r *recognizer) lmstatFeatureLine(l []byte, lead int, s string) {
	switch {
	case strings.HasPrefix(s, "\""): // "feature" v1.0, vendor: bm[, expiry: ...]
		q := strings.IndexByte(s[1:], '"')
		if q > 0 {
			r.mark(lead+1, lead+1+q, spanName, KindFeature)
		}
		if i := strings.Index(s, "vendor: "); i > 0 {
			e := i + len("vendor: ")
			f := e
			for f < len(s) && s[f] != ',' && s[f] != ' ' {
				f++
			}
			r.mark(lead+e, lead+f, spanVendor, 0)
		}
		return
	case strings.Contains(s, "locked to "):
		i := strings.Index(s, "locked to ") + len("locked to ")
		v := strings.Trim(s[i:], `" `)
		if v != "" {
			j := lead + i + strings.Index(s[i:], v)
			r.hostIDs(l, j, j+len(v))
		}
		return
	case strings.Contains(s, "RESERVATION"): // 48 RESERVATIONs for GROUP GROUP1 (host3/27002)
		f := strings.Fields(s)
		for k := 0; k+2 < len(f); k++ {
			if f[k] != "for" {
				continue
			}
			name := f[k+2]
			p := lead + strings.Index(s, " "+f[k+1]+" "+name) + len(f[k+1]) + 2
			switch f[k+1] {
			case "USER":
				r.mark(p, p+len(name), spanName, KindUser)
			case "HOST":
				r.hostAt(l, name, p, KindWorkstation)
			case "DISPLAY":
				r.mark(p, p+len(name), spanName, KindDisplay)
			}
			break
		}
		r.serverPort(l, lead)
		return
	}
	i := strings.Index(s, " (v")
	if i <= 0 || i+3 >= len(s) || s[i+3] < '0' || s[i+3] > '9' {
		return
	}
	// user host [display] [vendor-defined] (vX) (server/port handle), start ...
	r.userHostDisplay(l, lead, lead+i)
	r.serverPort(l, lead+i+3)
}

// serverPort marks the host of the first "(host/port" from l[p:].
func (r *recognizer) serverPort(l []byte, p int) {
	for p < len(l) {
		a := bytes.IndexByte(l[p:], '(')
		if a < 0 {
			return
		}
		a += p + 1
		b := a
		for b < len(l) && isHostByte(l[b]) {
			b++
		}
		if b < len(l) && l[b] == '/' && b > a {
			if cleanHost(string(l[a:b])) != "" {
				r.mark(a, b, spanHost, KindServer)
			}
			return
		}
		p = a
	}
}

// License files (FORMATS.md 3; the SERVER line syntax there, FEATURE lines after FlexNet's
// documentation). A logical line may go on over several lines (a backslash at the end), a quoted
// value too (a long SIGN=).

func (r *recognizer) licenseLine(l []byte) {
	body := l
	cont := false
	if t := bytes.TrimRight(l, " \t"); len(t) > 0 && t[len(t)-1] == '\\' {
		body, cont = t[:len(t)-1], true
	}
	if !r.licCont {
		if t := bytes.TrimSpace(l); len(t) == 0 || t[0] == '#' {
			r.licCont = false
			return // a comment: free text
		}
		r.licKeyword, r.licField, r.licQuote = "", 0, ""
	}
	r.licCont = cont
	for i := 0; i < len(body); {
		if r.licQuote != "" {
			q := bytes.IndexByte(body[i:], '"')
			end := len(body)
			if q >= 0 {
				end = i + q
			}
			r.licValue(l, r.licQuote, i, end)
			if q < 0 {
				return
			}
			r.licQuote = ""
			i = end + 1
			continue
		}
		if body[i] == ' ' || body[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(body) && body[j] != ' ' && body[j] != '\t' && body[j] != '=' {
			j++
		}
		positional := r.licKeyword == "SERVER" && r.licField < 2                  // SERVER host hostid: a hostid may be ID=...
		if j < len(body) && body[j] == '=' && r.licKeyword != "" && !positional { // KEY=value or KEY="value"
			key := strings.ToUpper(string(body[i:j]))
			v := j + 1
			if v < len(body) && body[v] == '"' {
				q := bytes.IndexByte(body[v+1:], '"')
				if q < 0 {
					r.licValue(l, key, v+1, len(body))
					r.licQuote = key
					return
				}
				r.licValue(l, key, v+1, v+1+q)
				i = v + q + 2
				continue
			}
			e := v
			for e < len(body) && body[e] != ' ' && body[e] != '\t' {
				e++
			}
			r.licValue(l, key, v, e)
			i = e
			continue
		}
		for j < len(body) && body[j] != ' ' && body[j] != '\t' {
			j++
		}
		if r.licKeyword == "" {
			r.licKeyword = strings.ToUpper(string(body[i:j]))
		} else {
			r.licField++
			r.licPositional(l, i, j)
		}
		i = j
	}
}

// licPositional marks the licField-th positional field l[i:j] of a license line.
func (r *recognizer) licPositional(l []byte, i, j int) {
	f := r.licField
	switch r.licKeyword {
	case "SERVER":
		switch f {
		case 1:
			if cleanHost(string(l[i:j])) != "" {
				r.mark(i, j, spanHost, KindServer)
			}
		case 2:
			r.hostIDs(l, i, j)
		}
	case "VENDOR", "DAEMON":
		if f == 1 {
			r.mark(i, j, spanVendor, 0)
		}
	case "FEATURE", "INCREMENT":
		switch f {
		case 1:
			r.mark(i, j, spanName, KindFeature)
		case 2:
			r.mark(i, j, spanVendor, 0)
		case 6:
			r.key(l, i, j)
		}
	case "UPGRADE":
		switch f {
		case 1:
			r.mark(i, j, spanName, KindFeature)
		case 2:
			r.mark(i, j, spanVendor, 0)
		case 7:
			r.key(l, i, j)
		}
	case "PACKAGE":
		switch f {
		case 1:
			r.mark(i, j, spanName, KindFeature)
		case 2:
			r.mark(i, j, spanVendor, 0)
		case 3, 4:
			r.key(l, i, j)
		}
	case "FEATURESET":
		switch f {
		case 1:
			r.mark(i, j, spanVendor, 0)
		case 2:
			r.key(l, i, j)
		}
	}
}

// key marks an old-style license key: 12 or more hex digits.
func (r *recognizer) key(l []byte, i, j int) {
	if j-i < 12 {
		return
	}
	for _, c := range l[i:j] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return
		}
	}
	r.mark(i, j, spanSecret, KindSignature)
}

// licValue marks the value l[i:j] of the attribute key (or the part of it on this line).
func (r *recognizer) licValue(l []byte, key string, i, j int) {
	switch {
	case strings.HasPrefix(key, "SIGN"), key == "AUTH":
		r.mark(i, j, spanSecret, KindSignature)
	case key == "VENDOR_STRING":
		r.mark(i, j, spanSecret, KindVendorString)
	case key == "NOTICE", key == "SN", key == "ASSET_INFO", key == "DIST_INFO", key == "USER_INFO", key == "VENDOR_INFO":
		r.mark(i, j, spanSecret, KindLicenseText)
	case key == "HOSTID":
		r.hostIDs(l, i, j)
	case key == "SUPERSEDE":
		r.features(l[:j], i)
	case key == "COMPONENTS":
		for p := i; p < j; {
			for p < j && (l[p] == ' ' || l[p] == '\t') {
				p++
			}
			e := p
			for e < j && l[e] != ' ' && l[e] != '\t' && l[e] != ':' {
				e++
			}
			r.mark(p, e, spanName, KindFeature)
			for e < j && l[e] != ' ' && l[e] != '\t' {
				e++
			}
			p = e
		}
	}
}

// hostIDs marks the hostids in l[i:j] (separated by spaces): hex or decimal ids, and the typed
// ones (ID=, ETHER=, INTERNET=ip, HOSTNAME=host, USER=name, DISPLAY=name).
func (r *recognizer) hostIDs(l []byte, i, j int) {
	for p := i; p < j; {
		for p < j && (l[p] == ' ' || l[p] == '\t' || l[p] == '(' || l[p] == ')') {
			p++
		}
		e := p
		for e < j && l[e] != ' ' && l[e] != '\t' && l[e] != ')' {
			e++
		}
		v, a := l[p:e], p
		if eq := bytes.IndexByte(v, '='); eq >= 0 {
			typ := strings.ToUpper(string(v[:eq]))
			v, a = v[eq+1:], p+eq+1
			switch typ {
			case "INTERNET":
				if isIPv4(string(v)) {
					r.mark(a, e, spanHost, KindHost)
					p = e
					continue
				}
			case "HOSTNAME":
				r.mark(a, e, spanHost, KindHost)
				p = e
				continue
			case "USER":
				r.mark(a, e, spanName, KindUser)
				p = e
				continue
			case "DISPLAY":
				r.mark(a, e, spanName, KindDisplay)
				p = e
				continue
			}
		}
		// the letters and digits, without punctuation around them
		x, y := a, a+len(v)
		for x < y && !isWordByte(l[x]) {
			x++
		}
		for y > x && !isWordByte(l[y-1]) {
			y--
		}
		if y > x && !reservedHostID(string(l[x:y])) {
			r.mark(x, y, spanName, KindHostID)
		}
		p = e
	}
}
