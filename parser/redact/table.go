package redact

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// entry is one identifying token: every spelling of it (case) stands for the same thing and
// gets the same pseudonym, spelled in the same case.
type entry struct {
	kind   Kind
	key    string            // the token in lower case: what is compared
	orig   string            // the spelling seen first
	pseudo string            // the pseudonym, in lower case ("" until assigned)
	spell  map[string]string // spellings seen -> the pseudonym as spelled for each
	common bool              // an ordinary word too: replaced only where a line's form says it is a name
	seen   bool              // read in this run (an entry of the map may not be)
	n      int               // replacements made
	seq    int               // the order in which tokens were first read
}

// Table holds the tokens of one run and their pseudonyms: read from a map, added by Collect,
// used by Write, Scan and Reverse.
type Table struct {
	features bool // feature names are tokens (--features)

	// Namespaces: one entry per token in lower case. Servers, other hosts and workstations
	// share one: a host is one host whichever line names it.
	hosts, users, displays, domains, ips, emails, hostids, feats map[string]*entry
	secrets                                                      map[string]*entry // signatures, VENDOR_STRING values, license texts

	vendors   map[string]bool // vendor daemon names: ordinary words
	featNames map[string]bool // feature names, tokens or not: ordinary words when they are not tokens
	words     map[string]bool // words of text kept as it is (dates, zone names): ordinary words
	maybe     map[string]bool // "label\x00rest" written as label.rest: label is a host if rest is a domain

	seq     int
	dummies [kinds]int      // secrets replaced where a line's form says they are
	taken   map[string]bool // pseudonyms in use (lower case)
	m       *matcher        // every token that is not an ordinary word; nil before Finish
	short   []*entry        // servers whose names are shorter than three characters (lm): see shortPaths
	tld     string          // of the domain pseudonyms
	prefix  [kinds]string   // of the pseudonyms of each kind
	counter [kinds]int      // the next candidate of each kind
}

// NewTable returns an empty table; features makes feature names tokens too.
func NewTable(features bool) *Table {
	return &Table{
		features: features,
		hosts:    map[string]*entry{}, users: map[string]*entry{}, displays: map[string]*entry{},
		domains: map[string]*entry{}, ips: map[string]*entry{}, emails: map[string]*entry{},
		hostids: map[string]*entry{}, feats: map[string]*entry{}, secrets: map[string]*entry{},
		vendors: map[string]bool{}, featNames: map[string]bool{}, words: map[string]bool{}, maybe: map[string]bool{},
		taken: map[string]bool{},
	}
}

func (t *Table) space(k Kind) map[string]*entry {
	switch k {
	case KindServer, KindHost, KindWorkstation:
		return t.hosts
	case KindUser:
		return t.users
	case KindDisplay:
		return t.displays
	case KindDomain:
		return t.domains
	case KindIP:
		return t.ips
	case KindEmail:
		return t.emails
	case KindHostID:
		return t.hostids
	case KindFeature:
		return t.feats
	}
	return t.secrets
}

// hostRank orders the kinds of host names: a member wins over a workstation, which wins over
// another host.
func hostRank(k Kind) int {
	switch k {
	case KindServer:
		return 3
	case KindWorkstation:
		return 2
	}
	return 1
}

// add records a token of kind k as spelled; it returns its entry (nil when s is empty).
func (t *Table) add(k Kind, s string) *entry {
	if i, j := core(s); i != 0 || j != len(s) {
		s = s[i:j]
	}
	if s == "" {
		return nil
	}
	key := lowerASCII(s)
	sp := t.space(k)
	if k.secret() {
		key = k.String() + "\x00" + key
	}
	e := sp[key]
	if e == nil {
		t.seq++
		e = &entry{kind: k, key: key, orig: s, seq: t.seq}
		sp[key] = e
	}
	if k.hostName() && hostRank(k) > hostRank(e.kind) && e.pseudo == "" {
		e.kind = k
	}
	if !e.seen {
		e.seen = true
		if e.seq == 0 {
			t.seq++
			e.seq = t.seq
		}
	}
	if t.m != nil && e.pseudo == "" && !k.secret() {
		t.late(e)
	}
	return e
}

// late gives an entry added after Finish its pseudonym and makes it found.
func (t *Table) late(e *entry) {
	e.common = t.ordinary(e)
	if !e.common || e.kind.hostName() || e.kind == KindDomain {
		if err := t.assign(e); err != nil {
			return
		}
	}
	if !e.common {
		t.m.add(e.matchText(), e)
		t.m.done()
	}
}

// matchText is the text an entry is found by.
func (e *entry) matchText() string {
	if e.kind.secret() {
		return e.key[strings.IndexByte(e.key, 0)+1:]
	}
	return e.key
}

// addHost records a host name as written (short or FQDN, or an IPv4 address) as a host of kind
// k: its first label is the host, the rest its domain.
func (t *Table) addHost(s string, k Kind) {
	s = cleanHost(s)
	if s == "" {
		return
	}
	if isIPv4(s) {
		t.addIP(s)
		return
	}
	short, domain, _ := strings.Cut(s, ".")
	if !reservedHost(short) && hostLetter(short) {
		t.add(k, short)
	}
	if domain != "" {
		t.addDomain(domain)
	}
}

// addDomain records a domain and its parents of two labels or more (corp.example.com and
// example.com): each stands for the site on its own.
func (t *Table) addDomain(d string) {
	d = strings.Trim(d, ".")
	if d == "" || !hasLetter(d) || vocabulary[lowerASCII(d)] {
		return
	}
	if first, _, _ := strings.Cut(d, "."); !hasLetter(first) || cleanHost(d) != d {
		return // not a domain: an address, a version, a number, or no name
	}
	t.add(KindDomain, d)
	for {
		i := strings.IndexByte(d, '.')
		if i < 0 {
			return
		}
		d = d[i+1:]
		if strings.IndexByte(d, '.') < 0 {
			return // the top-level domain alone says nothing
		}
		t.add(KindDomain, d)
	}
}

func (t *Table) addIP(s string) {
	if !ordinaryIP(s) {
		t.add(KindIP, s)
	}
}

// addEmail records an e-mail address and its domain.
func (t *Table) addEmail(s string) {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return
	}
	t.addDomain(s[at+1:])
	t.add(KindEmail, s)
}

func (t *Table) addUser(s string) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 128 || strings.ContainsAny(s, "\"()[]<>\t") {
		return
	}
	t.add(KindUser, s)
}

func (t *Table) addDisplay(s string) {
	if s == "" || len(s) > 128 || strings.HasPrefix(s, "/dev/") || strings.HasPrefix(s, ":") {
		return
	}
	t.add(KindDisplay, s)
}

func (t *Table) addFeature(s string) {
	if s == "" || len(s) > 128 {
		return
	}
	t.featNames[lowerASCII(s)] = true
	if t.features {
		t.add(KindFeature, s)
	}
}

func (t *Table) addVendor(s string) {
	if s != "" && len(t.vendors) < 1024 {
		t.vendors[lowerASCII(s)] = true
		t.protect([]byte(s))
	}
}

// addHostID records a hostid value (without its TYPE= prefix).
func (t *Table) addHostID(s string) {
	if s == "" || reservedHostID(s) {
		return
	}
	t.add(KindHostID, s)
}

// addSecret records a signature, VENDOR_STRING value or license text as it is written on one
// line: the pieces that can be looked for (see secretPieces).
func (t *Table) addSecret(k Kind, s string) {
	for _, p := range secretPieces(k, s) {
		t.add(k, p)
	}
}

// protect records the words of text kept as it is: they are ordinary words.
func (t *Table) protect(text []byte) {
	for i := 0; i < len(text); {
		if !isWordByte(text[i]) {
			i++
			continue
		}
		j := wordEnd(text, i)
		if j-i >= 3 && len(t.words) < 1<<16 {
			t.words[lowerASCII(string(text[i:j]))] = true
		}
		i = j
	}
}

// ordinary tells a token that is also an ordinary word of the logs (or too short to be looked
// for): it is replaced only where a line's form says it is a name, and the scan does not look
// for it.
func (t *Table) ordinary(e *entry) bool {
	key := e.matchText()
	switch {
	case dummyLike(key):
		// only x, X and 0 (a hand-masked hostid, ID=XXXXXX): what the dummies of secrets write,
		// so the scan cannot tell it from one
		return true
	case e.kind == KindIP || e.kind == KindEmail:
		return false
	case e.kind == KindFeature && !t.features:
		return true
	case len(key) < 3:
		return true
	case !hasLetter(key) && len(key) < 6:
		return true
	case e.kind.secret() && len(key) < 8:
		return true
	case vocabulary[key], t.words[key], t.vendors[key]:
		return true
	case e.kind != KindFeature && t.featNames[key] && !t.features:
		return true
	}
	return false
}

// Finish decides the pseudonyms, once every input has been read: members in the alphabetical
// order of their names, the other tokens in the order they were read, none holding a token of
// the inputs.
func (t *Table) Finish() error {
	// Host names read before their domain was known.
	maybe := make([]string, 0, len(t.maybe))
	for k := range t.maybe {
		maybe = append(maybe, k)
	}
	sort.Strings(maybe) // in one order: a domain added may be another's
	for _, k := range maybe {
		label, rest, _ := strings.Cut(k, "\x00")
		if d := t.domainWithin(rest); d != "" {
			t.addHost(label, KindHost)
			t.addDomain(d)
		}
	}
	t.maybe = nil
	t.m = newMatcher()
	var all []*entry
	for _, sp := range []map[string]*entry{t.hosts, t.users, t.displays, t.domains, t.ips, t.emails, t.hostids, t.feats, t.secrets} {
		for _, e := range sp {
			if !e.seen && e.pseudo == "" {
				continue
			}
			e.common = t.ordinary(e)
			if !e.common {
				all = append(all, e)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	for _, e := range all {
		t.m.add(e.matchText(), e)
	}
	t.m.done()
	// A vendor daemon's name is kept as it is: a token it holds is an ordinary word too.
	again := false
	for v := range t.vendors {
		t.m.find([]byte(v), func(_, _ int, tk tok) bool {
			tk.e.common, again = true, true
			return true
		})
	}
	if again {
		t.m = newMatcher()
		for _, e := range all {
			if !e.common {
				t.m.add(e.matchText(), e)
			}
		}
		t.m.done()
	}
	for _, sp := range []map[string]*entry{t.hosts, t.users, t.displays, t.domains, t.ips, t.emails, t.hostids, t.feats} {
		for _, e := range sp {
			if e.pseudo != "" && t.found(e.pseudo) {
				return fmt.Errorf("the map gives a %s a pseudonym that is a name in these inputs: redact them with a new map", e.kind.Label())
			}
		}
	}
	t.prefixes()
	for _, e := range t.order() {
		if err := t.assign(e); err != nil {
			return err
		}
	}
	for _, e := range t.hosts {
		if e.kind == KindServer && e.pseudo != "" && len(e.key) < 3 && hostLetter(e.key) {
			t.short = append(t.short, e)
		}
	}
	sort.Slice(t.short, func(i, j int) bool { return t.short[i].key < t.short[j].key })
	return nil
}

// found tells whether s holds a token of the inputs.
func (t *Table) found(s string) bool {
	hit := false
	t.m.find([]byte(s), func(int, int, tok) bool { hit = true; return false })
	return hit
}

// prefixes chooses the words the pseudonyms start with: the first of each list that is not a
// token of the inputs.
func (t *Table) prefixes() {
	lists := map[Kind][]string{
		KindServer: {"server", "srv", "lic"}, KindHost: {"host", "node", "machine"},
		KindWorkstation: {"ws", "pc", "client"}, KindDisplay: {"display", "disp", "screen"},
		KindUser: {"user", "usr", "person"}, KindDomain: {"dom", "domain", "site"},
		KindEmail: {"mail", "email", "addr"}, KindFeature: {"feature", "feat", "product"},
	}
	for k, list := range lists {
		t.prefix[k] = list[0]
		for _, p := range list {
			if !t.found(p) {
				t.prefix[k] = p
				break
			}
		}
	}
	t.tld = "example"
	for _, tld := range []string{"example", "invalid", "test"} {
		if !t.found("x." + tld) {
			t.tld = tld
			break
		}
	}
}

// order lists the entries to give a pseudonym, in the order they get one: members in the
// alphabetical order of their names, then every other kind in the order read.
func (t *Table) order() []*entry {
	var servers, others []*entry
	for _, sp := range []map[string]*entry{t.hosts, t.users, t.displays, t.domains, t.ips, t.emails, t.hostids, t.feats} {
		for _, e := range sp {
			switch {
			case e.pseudo != "" || !e.seen:
			case e.common && !e.kind.hostName() && e.kind != KindUser && e.kind != KindDisplay && e.kind != KindDomain && e.kind != KindHostID:
				// an ordinary feature name: not replaced
			case e.kind == KindServer:
				servers = append(servers, e)
			default:
				others = append(others, e)
			}
		}
	}
	// Members in the alphabetical order of their names: the analysis orders members without a
	// license file or lmstat list that way, and breaks ties between findings (and so chooses
	// between equal verdicts) by name; server-a, server-b, ... sort as the names did.
	sort.Slice(servers, func(i, j int) bool { return servers[i].key < servers[j].key })
	// Domains before e-mail addresses, whose pseudonyms hold theirs.
	sort.SliceStable(others, func(i, j int) bool {
		di, dj := others[i].kind == KindDomain, others[j].kind == KindDomain
		if di != dj {
			return di
		}
		return others[i].seq < others[j].seq
	})
	return append(servers, others...)
}

// assign gives e the next free pseudonym of its kind.
func (t *Table) assign(e *entry) error {
	if e.pseudo != "" {
		return nil
	}
	if e.kind == KindFeature && !t.features {
		return nil
	}
	// One name, one pseudonym: a user or display named as a host (a user called like a server)
	// gets the host's pseudonym, and a server's pseudonym wins. With pseudonyms of their own, a
	// reader of the bundle could tell that user-001 is server-a's name, and free text would
	// name the word by either.
	if e.kind == KindUser || e.kind == KindDisplay {
		if h := t.hosts[e.key]; h != nil && (h.seen || h.pseudo != "") {
			if err := t.assign(h); err != nil {
				return err
			}
			if h.pseudo != "" {
				e.pseudo = h.pseudo
				return nil
			}
		}
	}
	for range 1 << 20 {
		p := t.candidate(e)
		if p == "" {
			break
		}
		if t.taken[p] || t.found(p) {
			continue
		}
		e.pseudo = p
		t.taken[p] = true
		return nil
	}
	return fmt.Errorf("no pseudonym left for a %s", e.kind.Label())
}

// candidate is the next pseudonym to try for e ("" when there is none).
func (t *Table) candidate(e *entry) string {
	k := e.kind
	i := t.counter[k]
	t.counter[k]++
	switch k {
	case KindServer:
		return t.prefix[k] + "-" + letters(i)
	case KindDomain:
		return t.prefix[k] + strconv.Itoa(i+1) + "." + t.tld
	case KindIP:
		return ipCandidate(i)
	case KindEmail:
		at := strings.LastIndexByte(e.key, '@')
		dom := e.key[at+1:]
		if d := t.domains[dom]; d != nil && d.pseudo != "" {
			dom = d.pseudo
		} else {
			dom = "mail." + t.tld
		}
		return fmt.Sprintf("%s-%03d@%s", t.prefix[k], i+1, dom)
	case KindHostID:
		return hostidCandidate(e.key, i+1)
	}
	return fmt.Sprintf("%s-%03d", t.prefix[k], i+1)
}

// letters numbers the servers a, b, ... z, then z001, z002, ...: in the order of the numbers,
// also alphabetically, so that a triad ordered alphabetically stays in its order.
func letters(i int) string {
	if i < 26 {
		return string(rune('a' + i))
	}
	return fmt.Sprintf("z%03d", i-25)
}

// ipCandidate is the i-th address of the documentation ranges (RFC 5737), then of the
// benchmarking range 198.18.0.0/15 (RFC 2544).
func ipCandidate(i int) string {
	nets := []string{"192.0.2.", "198.51.100.", "203.0.113."}
	if i < 254*len(nets) {
		return nets[i/254] + strconv.Itoa(i%254+1)
	}
	i -= 254 * len(nets)
	if i >= 2*256*254 {
		return ""
	}
	return fmt.Sprintf("198.%d.%d.%d", 18+i/(256*254), i/254%256, i%254+1)
}

// hostidCandidate is a hostid of the same shape as orig: its letters and digits replaced by the
// digits of n, right-aligned and padded with zeros (000000000001), everything else kept. A
// hostid of several parts (9-1234-5678) has the digits of n over and over in every part, so
// that no part is a part of another hostid (000000).
func hostidCandidate(orig string, n int) string {
	d := strconv.Itoa(n)
	b := []byte(orig)
	parts := false
	for i, c := range b {
		parts = parts || i > 0 && !isWordByte(c)
	}
	k := len(d) - 1
	for i := len(b) - 1; i >= 0; i-- {
		switch {
		case !isWordByte(b[i]):
		case parts:
			b[i] = d[k]
			k = (k + len(d) - 1) % len(d)
		case k >= 0:
			b[i] = d[k]
			k--
		default:
			b[i] = '0'
		}
	}
	if !parts && k >= 0 {
		return d // too short to hold n
	}
	return string(b)
}

// use returns the pseudonym of e for spelling (as written), and counts the replacement.
func (t *Table) use(e *entry, spelling string) string {
	if e == nil || e.pseudo == "" {
		return spelling
	}
	e.n++
	if p, ok := e.spell[spelling]; ok {
		return p
	}
	p := shape(spelling, e.pseudo)
	if e.kind == KindIP {
		p = e.pseudo
	}
	if e.spell == nil {
		e.spell = map[string]string{}
	}
	if len(e.spell) < 64 {
		e.spell[spelling] = p
	}
	return p
}

// shape spells pseudo (lower case) in the case of orig: upper case for a name in upper case,
// capitalised for one that starts with a capital, letter by letter for another mixed one. Two
// spellings of one name that differ in case as lmstat lists them (BVS15004 and bvs15004) stay
// two spellings.
func shape(orig, pseudo string) string {
	up, low, firstUp, seenLetter := 0, 0, false, false
	for i := 0; i < len(orig); i++ {
		c := orig[i]
		switch {
		case c >= 'A' && c <= 'Z':
			up++
			if !seenLetter {
				firstUp = true
			}
			seenLetter = true
		case c >= 'a' && c <= 'z':
			low++
			seenLetter = true
		}
	}
	switch {
	case up == 0:
		return pseudo
	case low == 0:
		return strings.ToUpper(pseudo)
	case firstUp:
		b := []byte(pseudo)
		for i, c := range b {
			if c >= 'a' && c <= 'z' {
				b[i] = c - 'a' + 'A'
				break
			}
		}
		return string(b)
	}
	b := []byte(pseudo)
	for i := range b {
		if i < len(orig) && orig[i] >= 'A' && orig[i] <= 'Z' && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// host is the pseudonym of a host name as written: short or FQDN, or an IPv4 address.
func (t *Table) host(s string) string {
	i, j := hostBounds(s)
	if i == j {
		return string(t.replace(nil, []byte(s)))
	}
	c := s[i:j]
	pre, post := string(t.replace(nil, []byte(s[:i]))), string(t.replace(nil, []byte(s[j:])))
	if isIPv4(c) {
		return pre + t.use(t.ips[c], c) + post
	}
	short, domain, dotted := strings.Cut(c, ".")
	var out string
	if e := t.hosts[lowerASCII(short)]; e != nil && e.pseudo != "" {
		out = t.use(e, short)
	} else {
		out = string(t.replace(nil, []byte(short)))
	}
	if dotted {
		out += "." + t.domain(domain)
	}
	return pre + out + post
}

// domain is the pseudonym of a domain as written.
func (t *Table) domain(d string) string {
	if e := t.domains[lowerASCII(strings.Trim(d, "."))]; e != nil && e.pseudo != "" {
		return t.use(e, d)
	}
	return string(t.replace(nil, []byte(d)))
}

// name is the pseudonym of a token of kind k as written (a user, display, feature, hostid); a
// text that is not one is free text.
func (t *Table) name(k Kind, s string) string {
	i, j := core(s)
	if e := t.space(k)[lowerASCII(s[i:j])]; e != nil && e.pseudo != "" {
		return string(t.replace(nil, []byte(s[:i]))) + t.use(e, s[i:j]) + string(t.replace(nil, []byte(s[j:])))
	}
	return string(t.replace(nil, []byte(s)))
}

// core is where a token is in s: without the ASCII punctuation and white space around it (a
// token starts and ends with a letter, a digit or a character that is not ASCII).
func core(s string) (i, j int) {
	i, j = 0, len(s)
	for i < j && s[i] < 0x80 && !isWordByte(s[i]) {
		i++
	}
	for j > i && s[j-1] < 0x80 && !isWordByte(s[j-1]) {
		j--
	}
	return i, j
}

// errNotTable is returned for a map that is not one.
var errNotTable = errors.New("not an lmtriad redaction map")

// Counts is what a run replaced, per kind: distinct tokens and replacements.
type Counts struct {
	Kind         Kind
	Tokens       int
	Replacements int
}

// Counts lists, per kind, the tokens read in this run and the replacements made.
func (t *Table) Counts() []Counts {
	var out []Counts
	for _, k := range Kinds() {
		c := Counts{Kind: k}
		for _, e := range t.space(k) {
			if e.kind != k || !e.seen || e.n == 0 {
				continue
			}
			c.Tokens++
			c.Replacements += e.n
		}
		if k.secret() {
			c.Replacements += t.dummies[k]
			for _, e := range t.secrets {
				if e.kind == k && e.seen && e.n == 0 {
					c.Tokens++
				}
			}
		}
		if c.Tokens > 0 || c.Replacements > 0 {
			out = append(out, c)
		}
	}
	return out
}
