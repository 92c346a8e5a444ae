package parser_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

var encodings = []string{parser.EncodingUTF8, parser.EncodingUTF16LE, parser.EncodingUTF16BE, parser.EncodingSJIS}

// encode returns s, UTF-8 text, in enc, with the byte order mark of enc first when bom is set.
func encode(t testing.TB, s, enc string, bom bool) []byte {
	t.Helper()
	var tr transform.Transformer
	var mark []byte
	switch enc {
	case parser.EncodingUTF8:
		mark = []byte{0xef, 0xbb, 0xbf}
	case parser.EncodingUTF16LE:
		tr, mark = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder(), []byte{0xff, 0xfe}
	case parser.EncodingUTF16BE:
		tr, mark = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder(), []byte{0xfe, 0xff}
	case parser.EncodingSJIS:
		tr = japanese.ShiftJIS.NewEncoder()
	default:
		t.Fatalf("encode: no encoding %q", enc)
	}
	b := []byte(s)
	if tr != nil {
		var err error
		if b, _, err = transform.Bytes(tr, b); err != nil {
			t.Fatalf("encode %q in %s: %v", s, enc, err)
		}
	}
	if bom {
		if mark == nil {
			t.Fatalf("encode: %s has no byte order mark", enc)
		}
		b = append(append([]byte{}, mark...), b...)
	}
	return b
}

// decode is what Read makes of b in enc: the byte order mark removed, the rest decoded
// (UTF-8 as it is).
func decode(t testing.TB, b []byte, enc string) []byte {
	t.Helper()
	var tr transform.Transformer
	var mark []byte
	switch enc {
	case parser.EncodingUTF8:
		mark = []byte{0xef, 0xbb, 0xbf}
	case parser.EncodingUTF16LE:
		tr, mark = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder(), []byte{0xff, 0xfe}
	case parser.EncodingUTF16BE:
		tr, mark = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder(), []byte{0xfe, 0xff}
	case parser.EncodingSJIS:
		tr = japanese.ShiftJIS.NewDecoder()
	default:
		t.Fatalf("decode: no encoding %q", enc)
	}
	if mark != nil {
		b = bytes.TrimPrefix(b, mark)
	}
	if tr == nil {
		return b
	}
	out, _, err := transform.Bytes(tr, b)
	if err != nil {
		t.Fatalf("decode in %s: %v", enc, err)
	}
	return out
}

func readBytes(t testing.TB, b []byte, name string, opt parser.Options) *parser.File {
	t.Helper()
	f, err := parser.Read(bytes.NewReader(b), name, opt)
	if err != nil {
		t.Fatalf("Read %s: %v", name, err)
	}
	return f
}

// sameRead checks that got, read from a re-encoded file, is want, read from the original, in
// everything but the hash and the encoding.
func sameRead(t *testing.T, got, want *parser.File) {
	t.Helper()
	g, w := *got, *want
	g.SHA256, g.Encoding, w.SHA256, w.Encoding = "", "", "", ""
	if reflect.DeepEqual(g, w) {
		return
	}
	gv, wv := reflect.ValueOf(g), reflect.ValueOf(w)
	for i := 0; i < gv.NumField(); i++ {
		fd := gv.Type().Field(i)
		if !fd.IsExported() || reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			continue
		}
		t.Errorf("%s differs from the plain read:\n got: %s\nwant: %s", fd.Name, brief(gv.Field(i)), brief(wv.Field(i)))
	}
	if !t.Failed() {
		t.Error("Files differ in an unexported field")
	}
}

func brief(v reflect.Value) string {
	s := fmt.Sprintf("%+v", v.Interface())
	if v.Kind() == reflect.Slice {
		var b strings.Builder
		fmt.Fprintf(&b, "%d items", v.Len())
		for i := 0; i < v.Len() && i < 5; i++ {
			fmt.Fprintf(&b, "\n  %+v", reflect.Indirect(v.Index(i)).Interface())
		}
		s = b.String()
	}
	if len(s) > 2000 {
		s = s[:2000] + "..."
	}
	return s
}

// mixEndings gives every other line of s a CRLF and the rest an LF.
func mixEndings(s string) string {
	lines := strings.SplitAfter(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var b strings.Builder
	for i, l := range lines {
		if i%2 == 0 && strings.HasSuffix(l, "\n") {
			l = strings.TrimSuffix(l, "\n") + "\r\n"
		}
		b.WriteString(l)
	}
	return b.String()
}

func TestCheckEncoding(t *testing.T) {
	for _, name := range []string{"utf-8", "UTF-8", "utf8", "Utf8", "utf-16le", "UTF-16LE", "utf-16be", "UTF-16BE",
		"shift_jis", "Shift_JIS", "SJIS", "sjis", "cp932", "CP932", "windows-31j", "Windows-31J"} {
		t.Run(name, func(t *testing.T) {
			if err := parser.CheckEncoding(name); err != nil {
				t.Errorf("CheckEncoding(%q) = %v, want nil", name, err)
			}
		})
	}
	for _, name := range []string{"", "latin1", "iso-8859-1", "utf-16", "utf-32", "euc-jp", "ascii", "utf_8", "shift jis"} {
		t.Run("unknown "+name, func(t *testing.T) {
			err := parser.CheckEncoding(name)
			if err == nil {
				t.Fatalf("CheckEncoding(%q) = nil, want an error", name)
			}
			for _, accepted := range []string{"utf-8", "utf8", "utf-16le", "utf-16be", "shift_jis", "sjis", "cp932", "windows-31j"} {
				if !strings.Contains(err.Error(), accepted) {
					t.Errorf("error %q does not list %s", err, accepted)
				}
			}
			if _, err := parser.Read(strings.NewReader(anchor+"\n"), "x.log", parser.Options{Encoding: name}); name != "" && err == nil {
				t.Errorf("Read with Encoding %q returned no error", name)
			}
		})
	}
}

// Japanese text as a Japanese Windows server writes it. ソ and 表 end in the byte 0x5C (a
// backslash) in Shift_JIS, 開 in 0x4A ("J"): decoding must come before any parsing.
const (
	jaBanner = " 8:55:10 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on サーバ1 (IBM PC) (12/1/2010)"
	jaHost   = "サーバ1"
)

var jaLog = text(
	" 8:55:10 (lmgrd) Server's System Date and Time: Wed Dec 01 2010 08:55:10 東京 (標準時)",
	jaBanner,
	` 8:55:10 (lmgrd) License file(s): C:\ライセンス\ソフト表.dat`,
	" 8:55:10 (lmgrd) Trying connection to サーバ2",
	" 8:55:40 (lmgrd) Connected to サーバ2",
	" 8:56:06 (lmgrd) CONNECTED, master is サーバ1",
	" 9:01:17 (bm) OUT: \"bm_solver\" 田中@ソフト開発PC-0123  ",
	" 9:05:17 (bm) IN: \"bm_solver\" 田中@ソフト開発PC-0123  ",
	"10:14:29 (lmgrd) Lost connection to サーバ2",
	"10:14:30 (bm) 接続が切断されました",
)

// TestDetectEncoding: the encoding is told from the first bytes.
func TestDetectEncoding(t *testing.T) {
	sjisLog := encode(t, jaLog, parser.EncodingSJIS, false)
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, parser.EncodingUTF8},
		{"ASCII", []byte(anchor + "\n"), parser.EncodingUTF8},
		{"UTF-8 Japanese", []byte(jaLog), parser.EncodingUTF8},
		{"UTF-8 with BOM", encode(t, jaLog, parser.EncodingUTF8, true), parser.EncodingUTF8},
		{"UTF-8 BOM alone", []byte{0xef, 0xbb, 0xbf}, parser.EncodingUTF8},
		{"UTF-8 cut inside a character", []byte(jaLog)[:strings.Index(jaLog, "東")+1], parser.EncodingUTF8},
		{"UTF-16LE with BOM", encode(t, jaLog, parser.EncodingUTF16LE, true), parser.EncodingUTF16LE},
		{"UTF-16BE with BOM", encode(t, jaLog, parser.EncodingUTF16BE, true), parser.EncodingUTF16BE},
		{"UTF-16LE BOM alone", []byte{0xff, 0xfe}, parser.EncodingUTF16LE},
		{"UTF-16LE without BOM", encode(t, jaLog, parser.EncodingUTF16LE, false), parser.EncodingUTF16LE},
		{"UTF-16BE without BOM", encode(t, jaLog, parser.EncodingUTF16BE, false), parser.EncodingUTF16BE},
		{"UTF-16LE without BOM, ASCII", encode(t, anchor+"\n", parser.EncodingUTF16LE, false), parser.EncodingUTF16LE},
		{"UTF-16LE without BOM, cut at an odd byte", encode(t, anchor+"\n", parser.EncodingUTF16LE, false)[:21], parser.EncodingUTF16LE},
		{"Shift_JIS", sjisLog, parser.EncodingSJIS},
		{"Shift_JIS host name only", encode(t, "started on "+jaHost+"\n", parser.EncodingSJIS, false), parser.EncodingSJIS},
		{"Shift_JIS half-width katakana", encode(t, "started on ｻｰﾊﾞ1\n", parser.EncodingSJIS, false), parser.EncodingSJIS},
		{"Shift_JIS cut after a first byte", sjisLog[:bytes.IndexByte(sjisLog, 0x83)+1], parser.EncodingSJIS},
		{"Shift_JIS with one bad byte in many characters", append(bytes.Repeat(encode(t, "サーバ", parser.EncodingSJIS, false), 40), 0xff, '\n'), parser.EncodingSJIS},
		{"Latin-1 (German)", []byte("10:00:00 (lmgrd) Lizenzdatei f\xfcr M\xfcller ge\xe4ndert, Stra\xdfe\n"), parser.EncodingUTF8},
		{"Latin-1 (French)", []byte("10:00:00 (lmgrd) Fichier de licence modifi\xe9 \xe0 l'\xe9t\xe9\n"), parser.EncodingUTF8},
		{"Latin-1 whose accents pair with letters into kanji", []byte("10:00:00 (lmgrd) \xe9t\xe9s ge\xe4ndert\n"), parser.EncodingUTF8},
		{"Latin-1 one letter at the end", []byte("caf\xe9\n"), parser.EncodingUTF8},
		{"invalid bytes", []byte("10:00:00 (lmgrd) \xff\xfd\xfe\x80\xa0\n"), parser.EncodingUTF8},
		{"UTF-8 with a NUL block", []byte(anchor + "\n" + strings.Repeat("\x00", 4096) + anchor + "\n"), parser.EncodingUTF8},
		{"UTF-8 with a NUL block at an odd offset", []byte(anchor + "\nx" + strings.Repeat("\x00", 4097) + anchor + "\n"), parser.EncodingUTF8},
		{"UTF-8 with a stray NUL", []byte("abc\x00def\n"), parser.EncodingUTF8},
		{"only NULs", make([]byte, 512), parser.EncodingUTF8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parser.DetectEncoding(tc.in); got != tc.want {
				t.Errorf("DetectEncoding = %q, want %q", got, tc.want)
			}
			f := readBytes(t, tc.in, "e", parser.Options{})
			if f.Encoding != tc.want {
				t.Errorf("Read: Encoding = %q, want %q", f.Encoding, tc.want)
			}
		})
	}
}

// TestReadEncodings: a debug log with Japanese host, user and path names reads the same in
// every encoding, with or without a byte order mark, with LF, CRLF or both.
func TestReadEncodings(t *testing.T) {
	loc := tokyo(t)
	plain := read(t, jaLog, loc, parser.KindDebugLog)
	if plain.Host != jaHost {
		t.Fatalf("plain UTF-8: Host = %q, want %q", plain.Host, jaHost)
	}
	if want := []string{jaHost}; !reflect.DeepEqual(plain.Hosts, want) {
		t.Errorf("plain UTF-8: Hosts = %q, want %q", plain.Hosts, want)
	}
	if len(plain.Events) != 5 || plain.Events[1].Peer != "サーバ2" || plain.Events[3].Peer != jaHost {
		t.Fatalf("plain UTF-8: events %+v", plain.Events)
	}
	if plain.Unrecognized != 0 || plain.Warned != 0 {
		t.Fatalf("plain UTF-8: %d unrecognized lines, warnings %v", plain.Unrecognized, plain.Warnings)
	}
	for _, tc := range []struct {
		name    string
		in      []byte
		wantEnc string
	}{
		{"UTF-8", []byte(jaLog), parser.EncodingUTF8},
		{"UTF-8 with BOM", encode(t, jaLog, parser.EncodingUTF8, true), parser.EncodingUTF8},
		{"UTF-8 with BOM, CRLF", encode(t, strings.ReplaceAll(jaLog, "\n", "\r\n"), parser.EncodingUTF8, true), parser.EncodingUTF8},
		{"UTF-16LE with BOM", encode(t, jaLog, parser.EncodingUTF16LE, true), parser.EncodingUTF16LE},
		{"UTF-16LE with BOM, CRLF", encode(t, strings.ReplaceAll(jaLog, "\n", "\r\n"), parser.EncodingUTF16LE, true), parser.EncodingUTF16LE},
		{"UTF-16LE with BOM, mixed line endings", encode(t, mixEndings(jaLog), parser.EncodingUTF16LE, true), parser.EncodingUTF16LE},
		{"UTF-16BE with BOM", encode(t, jaLog, parser.EncodingUTF16BE, true), parser.EncodingUTF16BE},
		{"UTF-16LE without BOM", encode(t, jaLog, parser.EncodingUTF16LE, false), parser.EncodingUTF16LE},
		{"UTF-16BE without BOM", encode(t, jaLog, parser.EncodingUTF16BE, false), parser.EncodingUTF16BE},
		{"Shift_JIS", encode(t, jaLog, parser.EncodingSJIS, false), parser.EncodingSJIS},
		{"Shift_JIS, CRLF", encode(t, strings.ReplaceAll(jaLog, "\n", "\r\n"), parser.EncodingSJIS, false), parser.EncodingSJIS},
		{"Shift_JIS, mixed line endings", encode(t, mixEndings(jaLog), parser.EncodingSJIS, false), parser.EncodingSJIS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readBytes(t, tc.in, "test.log", parser.Options{Location: loc})
			if f.Encoding != tc.wantEnc {
				t.Errorf("Encoding = %q, want %q", f.Encoding, tc.wantEnc)
			}
			if f.Host != jaHost {
				t.Errorf("Host = %q, want %q", f.Host, jaHost)
			}
			sameRead(t, f, plain)
		})
	}
}

// TestReadBOM: the byte order mark is not part of the first line, whose keyword or time it
// would hide, and the hash is of the file with its mark.
func TestReadBOM(t *testing.T) {
	loc := tokyo(t)
	for _, tc := range []struct {
		name string
		in   string
		kind parser.Kind
	}{
		{"license file", "SERVER server1 17003456 27001\r\nVENDOR bm\r\n", parser.KindLicense},
		{"debug log", bannerS1 + "\r\n10:00:00 (lmgrd) Connected to server2\r\n", parser.KindDebugLog},
		{"lmstat", text(copyright, "Flexible License Manager status on Wed 12/1/2010 09:00", "", statusLine,
			"   server1: license server UP (MASTER) v10.8"), parser.KindLmstat},
	} {
		plain := read(t, tc.in, loc, tc.kind)
		if plain.Unrecognized != 0 {
			t.Fatalf("%s: plain text has %d unrecognized lines: %v", tc.name, plain.Unrecognized, plain.Warnings)
		}
		for _, enc := range []string{parser.EncodingUTF8, parser.EncodingUTF16LE, parser.EncodingUTF16BE} {
			t.Run(tc.name+" "+enc, func(t *testing.T) {
				in := encode(t, tc.in, enc, true)
				f := readBytes(t, in, "test.log", parser.Options{Location: loc})
				if f.Encoding != enc {
					t.Errorf("Encoding = %q, want %q", f.Encoding, enc)
				}
				sameRead(t, f, plain)
				if f.SHA256 != sha(in) {
					t.Errorf("SHA256 = %s, want %s (of the bytes as read)", f.SHA256, sha(in))
				}
			})
		}
	}
}

// TestReadForcedEncoding: Options.Encoding overrides detection, under any of its names.
func TestReadForcedEncoding(t *testing.T) {
	loc := tokyo(t)
	plain := read(t, jaLog, loc, parser.KindDebugLog)
	sjisLog := encode(t, jaLog, parser.EncodingSJIS, false)
	for _, tc := range []struct {
		name, force string
		in          []byte
		wantEnc     string
		check       func(t *testing.T, f *parser.File)
	}{
		{"Shift_JIS as cp932", "cp932", sjisLog, parser.EncodingSJIS, func(t *testing.T, f *parser.File) { sameRead(t, f, plain) }},
		{"Shift_JIS as Windows-31J", "Windows-31J", sjisLog, parser.EncodingSJIS, func(t *testing.T, f *parser.File) { sameRead(t, f, plain) }},
		{"ASCII read as Shift_JIS", "sjis", []byte(bannerS1 + "\n"), parser.EncodingSJIS, func(t *testing.T, f *parser.File) {
			if f.Host != "server1" {
				t.Errorf("Host = %q, want server1", f.Host)
			}
		}},
		{"Shift_JIS forced to UTF-8 keeps its bytes", "UTF8", sjisLog, parser.EncodingUTF8, func(t *testing.T, f *parser.File) {
			if f.Kind != parser.KindDebugLog || f.Host != string(encode(t, jaHost, parser.EncodingSJIS, false)) {
				t.Errorf("kind %v, Host = %q, want the Shift_JIS bytes of %s", f.Kind, f.Host, jaHost)
			}
		}},
		{"UTF-16LE with BOM forced", "utf-16le", encode(t, jaLog, parser.EncodingUTF16LE, true), parser.EncodingUTF16LE, func(t *testing.T, f *parser.File) { sameRead(t, f, plain) }},
		{"UTF-16BE without BOM forced", "UTF-16BE", encode(t, jaLog, parser.EncodingUTF16BE, false), parser.EncodingUTF16BE, func(t *testing.T, f *parser.File) { sameRead(t, f, plain) }},
		{"UTF-8 with BOM forced", "utf-8", encode(t, jaLog, parser.EncodingUTF8, true), parser.EncodingUTF8, func(t *testing.T, f *parser.File) { sameRead(t, f, plain) }},
		{"UTF-8 read as UTF-16LE is no log", "utf-16le", []byte(jaLog), parser.EncodingUTF16LE, func(t *testing.T, f *parser.File) {
			if f.Kind != parser.KindUnknown || f.Reason.IsZero() {
				t.Errorf("kind %v (%q), want unknown with a reason", f.Kind, f.Reason)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readBytes(t, tc.in, "test.log", parser.Options{Location: loc, Encoding: tc.force})
			if f.Encoding != tc.wantEnc {
				t.Errorf("Encoding = %q, want %q", f.Encoding, tc.wantEnc)
			}
			tc.check(t, f)
		})
	}
}

// kgtn reads the files of the sample incident, skipping when they are not there.
func kgtn(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, name := range []string{"server1.log", "server2.log", "server3.log", "lmstat.log", "license.dat"} {
		b, err := os.ReadFile(filepath.Join("..", "samples", "kgtn-2010120101", name))
		if err != nil {
			t.Skipf("sample incident: %v", err)
		}
		files[name] = string(b)
	}
	return files
}

// kgtnVariants are the ways a file of the sample may arrive: re-encoded, line endings changed.
var kgtnVariants = []struct {
	name string
	enc  string
	bom  bool
	edit func(string) string
}{
	{"LF", parser.EncodingUTF8, false, func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }},
	{"CRLF and LF mixed", parser.EncodingUTF8, false, mixEndings},
	{"UTF-8 with BOM", parser.EncodingUTF8, true, nil},
	{"UTF-16LE with BOM", parser.EncodingUTF16LE, true, nil},
	{"UTF-16LE with BOM, CRLF and LF mixed", parser.EncodingUTF16LE, true, mixEndings},
	{"UTF-16BE with BOM", parser.EncodingUTF16BE, true, nil},
	{"UTF-16LE without BOM", parser.EncodingUTF16LE, false, nil},
	{"Shift_JIS", parser.EncodingSJIS, false, nil},
	{"Shift_JIS, CRLF and LF mixed", parser.EncodingSJIS, false, mixEndings},
}

// TestReadKGTNEncodings: the sample incident re-encoded in memory reads exactly as the plain
// files. The sample is ASCII, whose Shift_JIS bytes are its own: those are read as UTF-8.
func TestReadKGTNEncodings(t *testing.T) {
	files := kgtn(t)
	loc := tokyo(t)
	for _, name := range []string{"server1.log", "server2.log", "server3.log", "lmstat.log", "license.dat"} {
		plain := readBytes(t, []byte(files[name]), name, parser.Options{Location: loc})
		if plain.Kind == parser.KindUnknown || plain.Encoding != parser.EncodingUTF8 {
			t.Fatalf("%s: kind %v (%s), encoding %s", name, plain.Kind, plain.Reason, plain.Encoding)
		}
		for _, v := range kgtnVariants {
			t.Run(name+"/"+v.name, func(t *testing.T) {
				s := files[name]
				if v.edit != nil {
					s = v.edit(s)
				}
				in := encode(t, s, v.enc, v.bom)
				f := readBytes(t, in, name, parser.Options{Location: loc})
				want := v.enc
				if v.enc == parser.EncodingSJIS {
					want = parser.EncodingUTF8 // ASCII
				}
				if f.Encoding != want {
					t.Errorf("Encoding = %q, want %q", f.Encoding, want)
				}
				sameRead(t, f, plain)
				if v.enc == parser.EncodingSJIS {
					forced := readBytes(t, in, name, parser.Options{Location: loc, Encoding: "shift_jis"})
					sameRead(t, forced, plain)
				}
			})
		}
	}
}

// japanize renames the sample's hosts and users into Japanese, with characters whose
// Shift_JIS second byte is a backslash (ソ).
var japanize = strings.NewReplacer(
	"server1", "サーバ1", "server2", "サーバ2", "server3", "サーバ3",
	"tanaka", "田中", "suzuki", "鈴木", "ito", "伊藤", "pc-", "ソフト開発PC-",
)

// TestReadKGTNJapanese: the sample with Japanese host and user names reads the same in UTF-8,
// Shift_JIS (detected) and UTF-16, with the names decoded.
func TestReadKGTNJapanese(t *testing.T) {
	files := kgtn(t)
	loc := tokyo(t)
	for _, name := range []string{"server1.log", "server2.log", "server3.log", "lmstat.log", "license.dat"} {
		ascii := readBytes(t, []byte(files[name]), name, parser.Options{Location: loc})
		ja := japanize.Replace(files[name])
		plain := readBytes(t, []byte(ja), name, parser.Options{Location: loc})
		if plain.Kind != ascii.Kind || plain.Lines != ascii.Lines || plain.Recognized != ascii.Recognized ||
			len(plain.Events) != len(ascii.Events) || len(plain.Snapshots) != len(ascii.Snapshots) {
			t.Fatalf("%s in Japanese: %v %d lines, %d recognized, %d events, %d snapshots; in ASCII: %v %d, %d, %d, %d", name,
				plain.Kind, plain.Lines, plain.Recognized, len(plain.Events), len(plain.Snapshots),
				ascii.Kind, ascii.Lines, ascii.Recognized, len(ascii.Events), len(ascii.Snapshots))
		}
		if want := japanize.Replace(ascii.Host); plain.Host != want {
			t.Fatalf("%s in Japanese: Host = %q, want %q", name, plain.Host, want)
		}
		if plain.License != nil && plain.License.Servers[1].Host != "サーバ2" {
			t.Fatalf("%s in Japanese: second SERVER %q", name, plain.License.Servers[1].Host)
		}
		for _, v := range kgtnVariants {
			t.Run(name+"/"+v.name, func(t *testing.T) {
				s := ja
				if v.edit != nil {
					s = v.edit(s)
				}
				f := readBytes(t, encode(t, s, v.enc, v.bom), name, parser.Options{Location: loc})
				if f.Encoding != v.enc {
					t.Errorf("Encoding = %q, want %q", f.Encoding, v.enc)
				}
				sameRead(t, f, plain)
			})
		}
	}
}

// TestReadNUL: NUL bytes left in a log by a crash are dropped from their lines with one warning;
// the log is read as without them.
func TestReadNUL(t *testing.T) {
	loc := tokyo(t)
	base := []string{
		bannerS1,
		" 9:00:01 (lmgrd) Trying connection to server2",
		" 9:00:02 (lmgrd) Connected to server2",
		" 9:00:03 (lmgrd) CONNECTED, master is server1",
		"10:00:00 (lmgrd) Lost connection to server2",
	}
	plain := read(t, text(base...), loc, parser.KindDebugLog)
	with := func(i int, s string) string { // base with line i (0-based) replaced
		l := append([]string{}, base...)
		l[i] = s
		return text(l...)
	}
	nuls := func(n int) string { return strings.Repeat("\x00", n) }
	for _, tc := range []struct {
		name     string
		in       []byte
		lines    int    // lines of the file: the NULs may make one more
		nulLines int    // lines that held NUL bytes
		warnAt   int    // line of the warning
		enc      string // the encoding read
	}{
		{"a block of NULs before a line (crash, then restart)", []byte(with(2, nuls(4096)+base[2])), 5, 1, 3, parser.EncodingUTF8},
		{"a block of NULs in the middle of a line", []byte(with(2, base[2][:10]+nuls(4096)+base[2][10:])), 5, 1, 3, parser.EncodingUTF8},
		{"a block of NULs spanning lines", []byte(with(4, base[4]+nuls(100)+"\n"+nuls(600)+"\n"+nuls(7))), 7, 3, 5, parser.EncodingUTF8},
		{"NUL padding at the end", []byte(text(base...) + nuls(8192)), 6, 1, 6, parser.EncodingUTF8},
		{"NUL padding at the end, CRLF", []byte(crlf(base...) + nuls(100)), 6, 1, 6, parser.EncodingUTF8},
		{"NULs at the start (truncated under its writer)", []byte(nuls(65536) + text(base...)), 5, 1, 1, parser.EncodingUTF8},
		{"more NULs than the detection looks at", []byte(nuls(3<<20) + text(base...)), 5, 1, 1, parser.EncodingUTF8},
		{"an odd number of NULs at the start", []byte(nuls(70001) + text(base...)), 5, 1, 1, parser.EncodingUTF8},
		{"UTF-16LE after NULs at the start", append([]byte(nuls(70000)), encode(t, text(base...), parser.EncodingUTF16LE, false)...), 5, 1, 1, parser.EncodingUTF16LE},
		{"a stray NUL in a message", []byte(with(4, base[4]+"\x00")), 5, 1, 5, parser.EncodingUTF8},
		{"UTF-16LE with a block of NULs", encode(t, with(2, nuls(2048)+base[2]), parser.EncodingUTF16LE, true), 5, 1, 3, parser.EncodingUTF16LE},
		{"Shift_JIS with NUL padding", append(encode(t, text(base...)+" 9:00:04 (bm) "+"接続\n", parser.EncodingSJIS, false), nuls(512)...), 7, 1, 7, parser.EncodingSJIS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readBytes(t, tc.in, "test.log", parser.Options{Location: loc})
			if f.Kind != parser.KindDebugLog {
				t.Fatalf("kind = %v (%s), want debuglog", f.Kind, f.Reason)
			}
			if f.Encoding != tc.enc {
				t.Errorf("Encoding = %q, want %q", f.Encoding, tc.enc)
			}
			if f.Lines != tc.lines {
				t.Errorf("Lines = %d, want %d", f.Lines, tc.lines)
			}
			var nul []*parser.SyntaxError
			for _, w := range f.Warnings {
				if strings.Contains(english(w.Msg), "NUL") {
					nul = append(nul, w)
				}
			}
			msg := fmt.Sprintf("%d lines held NUL bytes (dropped)", tc.nulLines)
			if tc.nulLines == 1 {
				msg = "1 line held NUL bytes (dropped)"
			}
			if len(nul) != 1 || nul[0].Line != tc.warnAt || english(nul[0].Msg) != msg {
				t.Errorf("NUL warnings %v, want one: test.log:%d: %s", nul, tc.warnAt, msg)
			}
			if f.Host != "server1" || !reflect.DeepEqual(f.Events, plain.Events) || f.Unrecognized != 0 {
				t.Errorf("Host %q, %d unrecognized lines, events\n got %+v\nwant %+v", f.Host, f.Unrecognized, f.Events, plain.Events)
			}
		})
	}
}

// TestReadBinary: binary files are still told from logs with NULs in them.
func TestReadBinary(t *testing.T) {
	log := text(bannerS1, " 9:00:02 (lmgrd) Connected to server2", " 9:00:03 (lmgrd) CONNECTED, master is server1")
	tarHeader := make([]byte, 512)
	copy(tarHeader, "server1.log")
	copy(tarHeader[100:], "0000644\x000001750\x000001750\x0000000001234\x0014054210230\x00")
	copy(tarHeader[257:], "ustar\x0000")
	elf := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00\x01\x00\x00\x00"), make([]byte, 400)...)
	for _, tc := range []struct {
		name string
		in   []byte
		want string // in the reason
	}{
		{"ELF executable", elf, "binary"},
		{"PNG image", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), []byte(log)...), "binary"},
		{"zip holding a log stored, read as text", append([]byte("PK\x03\x04\x0a\x00\x00\x00\x00\x00\xa5\x6b\x81\x51\x00\x00\x00\x00\x0b\x00\x00\x00server1.log"), []byte(strings.Repeat(log, 500))...), "binary"},
		{"gzip", append([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"), []byte(log)...), "binary"},
		{"tar holding a log", append(tarHeader, []byte(strings.Repeat(log, 500))...), "binary"},
		{"Office document (.msg)", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), []byte(log)...), "binary"},
		{"NULs between short fields", []byte("abc\x00def\x00\x01ghi\x00\x00jkl\n" + log), "binary"},
		{"a NUL in every line", []byte(strings.ReplaceAll(log, "(lmgrd)", "(lm\x00grd)")), "binary"},
		{"control characters", append([]byte(log), bytes.Repeat([]byte("\x01\x02\x03\x04\x05\x06\x07\x08"), 10)...), "binary"},
		{"only NULs (lost in a crash)", make([]byte, 4096), "only NUL"},
		{"empty", nil, "empty"},
		{"UTF-16 BOM alone", []byte{0xff, 0xfe}, "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind, reason := parser.Detect(tc.in)
			if kind != parser.KindUnknown || !strings.Contains(english(reason), tc.want) {
				t.Errorf("Detect = %v, %q; want unknown, %q", kind, reason, tc.want)
			}
			f := readBytes(t, tc.in, "x", parser.Options{})
			if f.Kind != parser.KindUnknown || !reflect.DeepEqual(f.Reason, reason) || f.Lines != 0 || f.SHA256 != sha(tc.in) {
				t.Errorf("Read: kind %v (%q), %d lines, SHA256 %s; want unknown (%q), 0 lines, %s", f.Kind, f.Reason, f.Lines, f.SHA256, reason, sha(tc.in))
			}
		})
	}
}

// TestReadLongLines: lines up to 1 MiB are kept whole, longer ones are cut with a warning, in
// UTF-8 and decoded alike; the lines after them keep their numbers.
func TestReadLongLines(t *testing.T) {
	pad := func(n int) string { return strings.Repeat(" ", n) }
	long := func(n int) string { return "SERVER server1 17003456 27001" + pad(n) + "PRIMARY_IS_MASTER" }
	for _, tc := range []struct {
		name    string
		line    string
		whole   bool
		sjisPad bool
	}{
		{"100 KiB", long(100 << 10), true, false},
		{"just under 1 MiB", long(parser.MaxLine - 50), true, false},
		{"over 1 MiB", long(parser.MaxLine + 10), false, false},
		{"3 MiB", long(3 << 20), false, false},
	} {
		for _, enc := range []string{parser.EncodingUTF8, parser.EncodingUTF16LE, parser.EncodingUTF16BE, parser.EncodingSJIS} {
			t.Run(tc.name+" "+enc, func(t *testing.T) {
				in := "# ライセンス\r\n" + tc.line + "\r\nSERVER server2 17004355 27001\r\nVENDOR bm"
				raw := encode(t, in, enc, enc == parser.EncodingUTF16LE || enc == parser.EncodingUTF16BE)
				f := readBytes(t, raw, "license.dat", parser.Options{})
				if f.Kind != parser.KindLicense || f.Encoding != enc {
					t.Fatalf("kind %v (%s), encoding %s", f.Kind, f.Reason, f.Encoding)
				}
				if f.Lines != 4 || f.Unrecognized != 0 || len(f.License.Servers) != 2 || len(f.License.Vendors) != 1 {
					t.Fatalf("%d lines, %d unrecognized, license %+v", f.Lines, f.Unrecognized, f.License)
				}
				s1, s2 := f.License.Servers[0], f.License.Servers[1]
				if s2.Line != 3 || s2.Host != "server2" || f.License.Vendors[0].Line != 4 {
					t.Errorf("after the long line: SERVER %s at line %d, VENDOR at line %d", s2.Host, s2.Line, f.License.Vendors[0].Line)
				}
				if tc.whole {
					if !s1.PrimaryIsMaster || len(s1.Text) != len(tc.line) || f.Warned != 0 {
						t.Errorf("line of %d bytes not kept whole: %d bytes, PRIMARY_IS_MASTER %v, warnings %v", len(tc.line), len(s1.Text), s1.PrimaryIsMaster, f.Warnings)
					}
					return
				}
				if s1.PrimaryIsMaster || len(s1.Text) > parser.MaxLine || f.Warned != 1 || f.Warnings[0].Line != 2 ||
					!strings.Contains(english(f.Warnings[0].Msg), "longer than 1 MiB, cut") {
					t.Errorf("line of %d bytes not cut: %d bytes, PRIMARY_IS_MASTER %v, warnings %v", len(tc.line), len(s1.Text), s1.PrimaryIsMaster, f.Warnings)
				}
			})
		}
	}
}

// TestReadLineEndings: LF, CRLF and both in one file; a last line without a line ending; a
// lone CR, which is no line break in FlexLM files.
func TestReadLineEndings(t *testing.T) {
	loc := tokyo(t)
	lines := []string{bannerS1, " 9:00:01 (lmgrd) Trying connection to server2", " 9:00:02 (lmgrd) Connected to server2",
		" 9:00:03 (lmgrd) CONNECTED, master is server1", "10:00:00 (lmgrd) Lost connection to server2"}
	plain := read(t, text(lines...), loc, parser.KindDebugLog)
	for _, tc := range []struct {
		name  string
		in    string
		lines int
	}{
		{"CRLF", crlf(lines...), 5},
		{"mixed", mixEndings(text(lines...)), 5},
		{"last line without a line ending", strings.Join(lines, "\n"), 5},
		{"last line without a line ending, CRLF", strings.Join(lines, "\r\n"), 5},
		{"last line cut, ending in CR", strings.Join(lines, "\r\n") + "\r", 5},
		{"CR CR LF", strings.Join(lines, "\r\r\n") + "\r\r\n", 5},
	} {
		for _, enc := range []string{parser.EncodingUTF8, parser.EncodingUTF16LE, parser.EncodingSJIS} {
			t.Run(tc.name+" "+enc, func(t *testing.T) {
				f := readBytes(t, encode(t, tc.in, enc, enc == parser.EncodingUTF16LE), "test.log", parser.Options{Location: loc})
				if f.Lines != tc.lines || f.Unrecognized != 0 {
					t.Errorf("Lines = %d, unrecognized %d; want %d, 0", f.Lines, f.Unrecognized, tc.lines)
				}
				got := append([]parser.Event{}, f.Events...)
				for i := range got {
					got[i].Text = strings.TrimRight(got[i].Text, "\r")
				}
				if !reflect.DeepEqual(got, plain.Events) {
					t.Errorf("events\n got %+v\nwant %+v", f.Events, plain.Events)
				}
			})
		}
	}
	t.Run("lone CR is not a line break", func(t *testing.T) {
		f := read(t, bannerS1+"\r"+lines[1]+"\n"+lines[2]+"\n", loc, parser.KindDebugLog)
		if f.Lines != 2 {
			t.Errorf("Lines = %d, want 2", f.Lines)
		}
	})
}

// nulLines counts the lines of s that hold a NUL byte.
func nulLines(s []byte) int {
	n := 0
	for len(s) > 0 {
		line := s
		if i := bytes.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = nil
		}
		if bytes.IndexByte(line, 0) >= 0 {
			n++
		}
	}
	return n
}

// FuzzEncoding: whatever the bytes, Read does not panic, names one of the four encodings (the
// one DetectEncoding gives), counts the lines of the decoded text and warns once about NULs.
// The seeds are short texts in each encoding, none over 1 KiB (see maxSeed); the longer ones are
// in TestEncodingLargeInputs.
func FuzzEncoding(f *testing.F) {
	for _, seed := range encodingSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(checkEncoding)
}

func encodingSeeds(t testing.TB) [][]byte {
	short := text(bannerS1, " 9:00:02 (lmgrd) Connected to サーバ2", " 9:00:03 (lmgrd) CONNECTED, master is server1")
	seeds := inEncodings(t, short, mixEndings(short), lmstatSeeds[2], licenseSeeds[1])
	return append(seeds,
		[]byte(short+strings.Repeat("\x00", 100)+short),
		append(encode(t, short, parser.EncodingUTF16LE, false), 0, 0, 0, 0, 0xff),
		[]byte("10:00:00 (lmgrd) f\xfcr M\xfcller\n"),
		[]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"+short),
		[]byte{0x83},
		[]byte{0xfe, 0xff, 0xd8},
	)
}

// inEncodings is each text as it is and in each encoding, with a byte order mark and without.
func inEncodings(t testing.TB, texts ...string) [][]byte {
	var out [][]byte
	for _, s := range texts {
		out = append(out, []byte(s))
		for _, enc := range encodings {
			if enc != parser.EncodingSJIS {
				out = append(out, encode(t, s, enc, true))
			}
			out = append(out, encode(t, s, enc, false))
		}
	}
	return out
}

// TestEncodingLargeInputs: FuzzEncoding's property on the texts too long to seed it with.
func TestEncodingLargeInputs(t *testing.T) {
	for i, in := range inEncodings(t, jaLog, mixEndings(jaLog), strings.Join(lmstatSeeds[:2], ""), licenseSeeds[0]) {
		t.Run(fmt.Sprint(i), func(t *testing.T) { checkEncoding(t, in) })
	}
}

// TestEncodingSeedsSmall: FuzzEncoding's seeds stay small.
func TestEncodingSeedsSmall(t *testing.T) {
	for i, seed := range encodingSeeds(t) {
		if len(seed) > maxSeed {
			t.Errorf("seed %d is %d bytes; put long texts in TestEncodingLargeInputs", i, len(seed))
		}
	}
}

// checkEncoding is FuzzEncoding's property.
func checkEncoding(t *testing.T, in []byte) {
	file, err := parser.Read(bytes.NewReader(in), "fuzz", parser.Options{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if !contains(encodings, file.Encoding) {
		t.Fatalf("Encoding = %q, not one of %q", file.Encoding, encodings)
	}
	if len(in) <= 64*1024 {
		if enc := parser.DetectEncoding(in); enc != file.Encoding {
			t.Errorf("DetectEncoding = %q, Read's %q", enc, file.Encoding)
		}
	}
	if file.SHA256 != sha(in) {
		t.Errorf("SHA256 is not of the bytes as read")
	}
	if file.Kind == parser.KindUnknown {
		if file.Lines != 0 || file.Reason.IsZero() {
			t.Errorf("unknown file: %d lines, reason %q", file.Lines, file.Reason)
		}
		return
	}
	dec := decode(t, in, file.Encoding)
	if want := nlines(string(dec)); file.Lines != want {
		t.Errorf("Lines = %d, want %d (of the text decoded from %s)", file.Lines, want, file.Encoding)
	}
	if file.Recognized+file.Unrecognized > file.Lines || file.Warned < len(file.Warnings) {
		t.Errorf("recognized %d + unrecognized %d > lines %d, or warned %d < %d kept", file.Recognized,
			file.Unrecognized, file.Lines, file.Warned, len(file.Warnings))
	}
	nul := 0
	for _, w := range file.Warnings {
		if w.Line < 1 || w.Line > file.Lines {
			t.Errorf("warning %v outside 1..%d", w, file.Lines)
		}
		if strings.Contains(english(w.Msg), "NUL bytes") {
			nul++
			if n := nulLines(dec); !strings.HasPrefix(english(w.Msg), fmt.Sprintf("%d line", n)) {
				t.Errorf("warning %v, want %d lines", w, n)
			}
		}
	}
	if nul > 1 || nul == 0 && bytes.IndexByte(dec, 0) >= 0 && file.Warned < 100 {
		t.Errorf("%d NUL warnings, want one: %v", nul, file.Warnings)
	}
	for _, e := range file.Events {
		if strings.IndexByte(e.Text, 0) >= 0 || e.Line < 1 || e.Line > file.Lines {
			t.Errorf("event at line %d (of %d) holds a NUL: %q", e.Line, file.Lines, e.Text)
		}
	}
	for _, enc := range encodings { // forced, any encoding reads
		forced, err := parser.Read(bytes.NewReader(in), "fuzz", parser.Options{Encoding: enc})
		if err != nil || forced.Encoding != enc || forced.SHA256 != file.SHA256 {
			t.Errorf("forced %s: encoding %q, err %v", enc, forced.Encoding, err)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
