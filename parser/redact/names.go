package redact

import "strings"

// The shapes of names: what a host name, an IP address, a hostid or a signature looks like.

func isHostByte(c byte) bool { return isWordByte(c) || c == '-' || c == '_' || c == '.' }

// cleanHost is the host name in s: without white space, a leading "port@", quotes or
// parentheses around it, and the punctuation that ends a sentence after it. It is "" when what
// is left is not a host name (letters, digits, '-', '_' and '.', starting with a letter or digit;
// characters that are not ASCII count as letters: Windows allows them in a computer's name).
func cleanHost(s string) string {
	i, j := hostBounds(s)
	return s[i:j]
}

// hostBounds is where cleanHost's host name is in s: s[i:j], empty when there is none.
func hostBounds(s string) (i, j int) {
	i, j = 0, len(s)
	for i < j && strings.IndexByte(" \t\"'()[]<>", s[i]) >= 0 {
		i++
	}
	for j > i && strings.IndexByte(" \t\"'()[]<>.,:;", s[j-1]) >= 0 {
		j--
	}
	if k := strings.LastIndexByte(s[i:j], '@'); k >= 0 {
		i += k + 1
	}
	if j-i == 0 || j-i > 253 || !isWordByte(s[i]) && s[i] < 0x80 || strings.Contains(s[i:j], "..") {
		return 0, 0
	}
	for k := i; k < j; k++ {
		if !isHostByte(s[k]) && s[k] < 0x80 { // any character that is not ASCII: 営業部-PC01
			return 0, 0
		}
	}
	return i, j
}

// isIPv4 tells a dotted-quad IPv4 address.
func isIPv4(s string) bool {
	parts := 0
	for s != "" {
		n, d := 0, 0
		for d < len(s) && s[d] >= '0' && s[d] <= '9' && d < 3 {
			n = n*10 + int(s[d]-'0')
			d++
		}
		if d == 0 || n > 255 {
			return false
		}
		parts++
		s = s[d:]
		if s == "" {
			break
		}
		if s[0] != '.' || parts == 4 {
			return false
		}
		s = s[1:]
		if s == "" {
			return false
		}
	}
	return parts == 4
}

// ipAt is the length of the IPv4 address that starts at text[i] as a whole word (not part of a
// longer dotted number such as a version), 0 when there is none.
func ipAt(text []byte, i int) int {
	j := i
	for j < len(text) && (text[j] >= '0' && text[j] <= '9' || text[j] == '.') {
		j++
	}
	for j > i && text[j-1] == '.' {
		j-- // a full stop after it
	}
	switch {
	case j < len(text) && isWordByte(text[j]),
		j+1 < len(text) && text[j] == '.' && isWordByte(text[j+1]), // a host name that starts with digits
		i > 0 && (text[i-1] == '.' || text[i-1] == '-' || text[i-1] == '_'):
		return 0
	}
	if !isIPv4(string(text[i:j])) {
		return 0
	}
	return j - i
}

// ordinaryIP tells addresses that name no site: unspecified, loopback, broadcast.
func ordinaryIP(s string) bool {
	return s == "0.0.0.0" || s == "255.255.255.255" || strings.HasPrefix(s, "127.")
}

// versionBefore tells a dotted number that is a version: after the word "version" (lmgrd
// version 11.14.0.1, "Flexera internal version =  11.19.6.0"), after a program's name
// ("lmgrd.exe:   11.19.6.0", as a vendor daemon lists its components), or followed by a
// platform ("11.19.6.0 x64_n6") or a build ("11.13.1.2 build 173085").
func versionBefore(text []byte, i int) bool {
	j := i
	for j > 0 && (text[j-1] == ' ' || text[j-1] == '\t' || text[j-1] == ':' || text[j-1] == '=') {
		j--
	}
	for _, w := range []string{"version", ".exe"} {
		if j >= len(w) && equalFold(text[j-len(w):j], w) {
			return true
		}
	}
	return platformAfter(text, i+ipAt(text, i))
}

// platforms are how FlexNet names its platforms (x64_n6, i86_n3, x64_lsb, ...) by their start.
var platforms = []string{"x64_", "x86_", "i86_", "amd64_", "arm64_", "ppc64_", "sun64_", "hp64_", "i64_"}

// platformAfter tells a dotted number at text[:j] followed by a platform or "build".
func platformAfter(text []byte, j int) bool {
	k := j
	for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
		k++
	}
	if k == j {
		return false
	}
	w := text[k:]
	for _, p := range append(platforms, "build ") {
		if len(w) >= len(p) && equalFold(w[:len(p)], p) {
			return true
		}
	}
	return false
}

// hostLetter tells a host name that holds a letter, ASCII or not (ＰＣ-東京01): not a number.
func hostLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return hasLetter(s)
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// reservedHost tells host names that name no site: FlexLM's this_host, localhost.
func reservedHost(s string) bool {
	switch lowerASCII(s) {
	case "localhost", "this_host", "any", "none", "unknown":
		return true
	}
	return false
}

// reservedHostID tells hostids that identify nothing (ANY, DEMO).
func reservedHostID(s string) bool {
	switch strings.ToUpper(s) {
	case "ANY", "DEMO", "NOHOST", "NOTHING", "FLEXID", "ID", "":
		return true
	}
	return false
}

// secretPieces are the parts of a signature, VENDOR_STRING value or license text written on one
// line that the scan can look for without finding them where they are not: for a signature,
// each group of hex digits long enough and each pair of groups ("0A3F 91C2"); for a text, all
// of it. Pieces that look like the dummies put in their place are left out.
func secretPieces(k Kind, s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if k != KindSignature {
		if dummyLike(s) {
			return nil
		}
		return []string{s}
	}
	type field struct{ start, end int }
	var fs []field
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		fs = append(fs, field{i, j})
		i = j
	}
	var out []string
	for n, f := range fs {
		if f.end-f.start >= 8 && !dummyLike(s[f.start:f.end]) {
			out = append(out, s[f.start:f.end])
		}
		if n+1 < len(fs) {
			p := s[f.start:fs[n+1].end]
			if len(p) >= 9 && !dummyLike(p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// dummyLike tells a text whose letters and digits are all 0 or x: what dummy makes.
func dummyLike(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '0', c == 'x', c == 'X':
		case isWordByte(c):
			return false
		}
	}
	return true
}

// dummy is what replaces a secret: a signature's letters and digits become 0, a text's letters
// x (X in upper case) and its digits 0; everything else stays, and so does the length.
func dummy(k Kind, s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case !isWordByte(c):
		case k == KindSignature, c >= '0' && c <= '9':
			b[i] = '0'
		case c >= 'A' && c <= 'Z':
			b[i] = 'X'
		default:
			b[i] = 'x'
		}
	}
	return string(b)
}
