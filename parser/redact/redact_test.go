package redact

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
)

// run redacts files (name -> content) with table t and returns what was written (name ->
// content), and the redactor.
func run(t *testing.T, tab *Table, files map[string]string) (map[string]string, *Redactor) {
	t.Helper()
	in := t.TempDir()
	for name, s := range files {
		p := filepath.Join(in, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := New(tab, []string{in}, parser.Options{})
	if err := r.Collect(); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	out := t.TempDir()
	written, err := r.Write(out)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	leak, err := tab.ScanDir(out, written)
	if err != nil {
		t.Fatal(err)
	}
	if !leak.Empty() {
		t.Errorf("the scan finds %v in %v", leak.Kinds, leak.Files)
	}
	got := map[string]string{}
	for _, w := range written {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(w.Name)))
		if err != nil {
			t.Fatal(err)
		}
		got[w.Name] = string(b)
	}
	return got, r
}

// wantLines checks that text holds each line of want, in order.
func wantLines(t *testing.T, name, text string, want ...string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	k := 0
	for _, w := range want {
		for k < len(lines) && strings.TrimRight(lines[k], "\r") != w {
			k++
		}
		if k == len(lines) {
			t.Errorf("%s: no line %q (in order) in:\n%s", name, w, text)
			return
		}
	}
}

// The forms of FORMATS.md, each name where the form puts it, and the words around kept.
func TestForms(t *testing.T) {
	log := ` 9:49:41 (lmgrd) Server's System Date and Time: Thu Jun 08 2017 09:49:41 EDT
 9:49:41 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on flux-license1.miserver.it.umich.edu (linux) (6/8/2017)
 9:49:41 (lmgrd) License file(s): /home/jdoe/ansys/license.dat
 9:49:41 (lmgrd) (@lmgrd-SLOG@) Command-line options used at LS startup: -c C:\Users\J.Smith\lic.dat -l \\filer01\logs\lmgrd.log
 9:49:41 (lmgrd) Trying connection to lic-b.miserver.it.umich.edu
 9:49:42 (lmgrd) Connected to LIC-B
 9:49:43 (lmgrd) CONNECTED, master is flux-license1
 9:49:44 (lmgrd) Starting vendor daemons ... 
 9:49:44 (lmgrd) Started ansyslmd (internet tcp_port 60198 pid 1962)
 9:49:45 (ansyslmd) Server started on flux-license1 for:	hfss_solve	hfsshpc
 9:49:45 (ansyslmd) ansys	mechanical
21:06:15 (ansyslmd) OUT: "hfsshpc" manikafa@nyx7005.arc-ts.umich.edu  (20 licenses) 
21:06:52 (ansyslmd) IN: "hfsshpc" manikafa@nyx7005.arc-ts.umich.edu  (20 licenses) 
15:28:58 (ansyslmd) DENIED: "hfss_solve" TonyMontana@ANOTHERONE  (Licensed number of users already reached. (-4,342))
11:46:28 (ansyslmd) UNSUPPORTED: "pathway_base" (PORT_AT_HOST_PLUS   ) nicolaea@NCI-01831285  (License server system does not support this feature. (-18,327))
21:10:48 (ansyslmd) Checkin failed feature "hfss_solve": USER11 COMPUTER11 COMPUTER11
21:11:00 (ansyslmd) ERROR: lic-c thought LIC-B was master
14:24:37 (lmgrd) SHUTDOWN request from dubin at node ubuntu-20-intel
14:24:38 (lmgrd) lmgrd tcp-port 1055 on 10.20.30.40, mail it-admin@acme-corp.com
14:24:39 (lmgrd) Lost connection to lic-c
`
	lmstat := `lmutil - Copyright (c) 1989-2016 Flexera Software LLC. All Rights Reserved.
Flexible License Manager status on Fri 10/20/2017 17:02

License server status: 27002@flux-license1.miserver.it.umich.edu,27002@lic-b,27002@lic-c
    License file(s) on flux-license1.miserver.it.umich.edu: /usr/local/flexlm/licenses/license.dat.app1:

flux-license1.miserver.it.umich.edu: license server UP v11.7
     lic-b: license server UP (MASTER) v11.7
     lic-c: Cannot connect to license server system. (-15,570:115 "Operation now in progress")

Vendor daemon status (on lic-b):

  ansyslmd: UP v11.6

Feature usage info:

Users of hfsshpc:  (Total of 1814 licenses issued;  Total of 1206 licenses in use)

  "hfsshpc" v61.9, vendor: ansyslmd, expiry: 30-dec-2025
  vendor_string: ACME-Corp site 42
  floating license

	48 RESERVATIONs for GROUP GROUP1 (lic-b/27002)
	1 RESERVATION for USER kowalski (lic-b/27002)
    USER9 SERVER45823008 SERVER45823008:0.0 (v61.9) (lic-b/27002 7086), start Fri 10/20 16:44, 5 licenses
    manikafa nyx7005.arc-ts.umich.edu /dev/pts/4 (v61.9) (lic-b/27002 7087), start Fri 10/20 16:45
`
	lic := `# license for the flux-license1/lic-b/lic-c triad; contact it-admin@acme-corp.com
SERVER flux-license1 0050569A1C2E 27002 PRIMARY_IS_MASTER
SERVER lic-b ID=12345678 27002
SERVER lic-c INTERNET=10.20.30.41 27002
VENDOR ansyslmd /home/jdoe/bin/ansyslmd OPTIONS=C:\Users\J.Smith\ansys.opt
USE_SERVER
FEATURE hfss_solve ansyslmd 1.0 permanent 8 0123456789AB HOSTID=0050569a77d1 \
	VENDOR_STRING="ACME-Corp site 42" NOTICE="ACME Corporation, Berlin" \
	SIGN="1949 C33B 967D 1011 9C71 8B09 985F F6AF \
	F082 C9E3 BCB0 3FC9"
`
	got, _ := run(t, NewTable(false), map[string]string{"flux-license1.log": log, "lmstat.txt": lmstat, "license.dat": lic})

	wantLines(t, "log", got["server-a.log"],
		` 9:49:41 (lmgrd) Server's System Date and Time: Thu Jun 08 2017 09:49:41 EDT`,
		` 9:49:41 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on server-a.dom1.example (linux) (6/8/2017)`,
		` 9:49:41 (lmgrd) License file(s): /home/user-001/ansys/license.dat`,
		` 9:49:41 (lmgrd) (@lmgrd-SLOG@) Command-line options used at LS startup: -c C:\Users\User-002\lic.dat -l \\host-001\logs\lmgrd.log`,
		` 9:49:41 (lmgrd) Trying connection to server-b.dom1.example`,
		` 9:49:42 (lmgrd) Connected to SERVER-B`,
		` 9:49:43 (lmgrd) CONNECTED, master is server-a`,
		` 9:49:44 (lmgrd) Started ansyslmd (internet tcp_port 60198 pid 1962)`,
		` 9:49:45 (ansyslmd) Server started on server-a for:	hfss_solve	hfsshpc`,
		` 9:49:45 (ansyslmd) ansys	mechanical`,
		`21:06:15 (ansyslmd) OUT: "hfsshpc" user-003@ws-001.dom4.example  (20 licenses) `,
		`21:06:52 (ansyslmd) IN: "hfsshpc" user-003@ws-001.dom4.example  (20 licenses) `,
		`15:28:58 (ansyslmd) DENIED: "hfss_solve" User-004@WS-002  (Licensed number of users already reached. (-4,342))`,
		`11:46:28 (ansyslmd) UNSUPPORTED: "pathway_base" (PORT_AT_HOST_PLUS   ) user-005@WS-003  (License server system does not support this feature. (-18,327))`,
		`21:10:48 (ansyslmd) Checkin failed feature "hfss_solve": USER-006 WS-004 WS-004`,
		`21:11:00 (ansyslmd) ERROR: server-c thought SERVER-B was master`,
		`14:24:37 (lmgrd) SHUTDOWN request from user-007 at node host-002`,
		`14:24:38 (lmgrd) lmgrd tcp-port 1055 on 192.0.2.1, mail mail-001@dom5.example`,
		`14:24:39 (lmgrd) Lost connection to server-c`,
	)
	wantLines(t, "lmstat", got["lmstat.txt"],
		`Flexible License Manager status on Fri 10/20/2017 17:02`,
		`License server status: 27002@server-a.dom1.example,27002@server-b,27002@server-c`,
		`    License file(s) on server-a.dom1.example: /usr/local/flexlm/licenses/license.dat.app1:`,
		`server-a.dom1.example: license server UP v11.7`,
		`  server-b: license server UP (MASTER) v11.7`,
		`  server-c: Cannot connect to license server system. (-15,570:115 "Operation now in progress")`,
		`Vendor daemon status (on server-b):`,
		`  ansyslmd: UP v11.6`,
		`Users of hfsshpc:  (Total of 1814 licenses issued;  Total of 1206 licenses in use)`,
		`  "hfsshpc" v61.9, vendor: ansyslmd, expiry: 30-dec-2025`,
		`  vendor_string: XXXX-Xxxx xxxx 00`,
		`	48 RESERVATIONs for GROUP GROUP1 (server-b/27002)`,
		`	1 RESERVATION for USER user-008 (server-b/27002)`,
		`    USER-009 WS-005 WS-005:0.0 (v61.9) (server-b/27002 7086), start Fri 10/20 16:44, 5 licenses`,
		`    user-003 ws-001.dom4.example /dev/pts/4 (v61.9) (server-b/27002 7087), start Fri 10/20 16:45`,
	)
	wantLines(t, "license", got["license.dat"],
		`# license for the server-a/server-b/server-c triad; contact mail-001@dom5.example`,
		`SERVER server-a 000000000001 27002 PRIMARY_IS_MASTER`,
		`SERVER server-b ID=00000002 27002`,
		`SERVER server-c INTERNET=192.0.2.2 27002`,
		`VENDOR ansyslmd /home/user-001/bin/ansyslmd OPTIONS=C:\Users\User-002\ansys.opt`,
		`FEATURE hfss_solve ansyslmd 1.0 permanent 8 000000000000 HOSTID=000000000003 \`,
		`	VENDOR_STRING="XXXX-Xxxx xxxx 00" NOTICE="XXXX Xxxxxxxxxxx, Xxxxxx" \`,
		`	SIGN="0000 0000 0000 0000 0000 0000 0000 0000 \`,
		`	0000 0000 0000 0000"`,
	)
}

// With --features the feature names are replaced too, everywhere a form shows one.
func TestFeatures(t *testing.T) {
	log := ` 9:49:41 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lic-a (linux) (6/8/2017)
 9:49:45 (ansyslmd) Server started on lic-a for:	hfss_solve	hfsshpc
 9:49:45 (ansyslmd) ansys
21:06:15 (ansyslmd) OUT: "hfsshpc" jdoe@pc1  
21:07:00 (ansyslmd) EXPIRED: ansys
`
	lic := "SERVER lic-a 0050569A1C2E 27002\nVENDOR ansyslmd\nINCREMENT hfss_solve ansyslmd 1.0 permanent 8 SIGN=0123456789AB\n" +
		"PACKAGE suite ansyslmd 1.0 COMPONENTS=\"hfsshpc:1.0 ansys\" SIGN=0123456789AC\n"
	got, _ := run(t, NewTable(true), map[string]string{"lic-a.log": log, "license.dat": lic})
	wantLines(t, "log", got["server-a.log"],
		` 9:49:45 (ansyslmd) Server started on server-a for:	feature-001	feature-002`,
		` 9:49:45 (ansyslmd) feature-003`,
		`21:06:15 (ansyslmd) OUT: "feature-002" user-001@ws-001  `,
		`21:07:00 (ansyslmd) EXPIRED: feature-003`)
	wantLines(t, "license", got["license.dat"],
		`INCREMENT feature-001 ansyslmd 1.0 permanent 8 SIGN=000000000000`,
		`PACKAGE feature-004 ansyslmd 1.0 COMPONENTS="feature-002:1.0 feature-003" SIGN=000000000000`)
}

// A name that is also an ordinary word of the logs is replaced where a form says it is a name,
// and kept where the word is the word: the analysis reads those words.
func TestOrdinaryWords(t *testing.T) {
	log := ` 9:00:00 (lmgrd) Server's System Date and Time: Wed Dec 01 2010 09:00:00 Tokyo Standard Time
 9:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on lic-a (IBM PC) (12/1/2010)
 9:00:05 (lmgrd) CONNECTED, master is lic-a
 9:01:17 (bm) OUT: "bm_solver" master@tokyo  
 9:01:18 (bm) OUT: "bm_solver" bm@lic-a  
`
	got, r := run(t, NewTable(false), map[string]string{"lic-a.log": log})
	wantLines(t, "log", got["server-a.log"],
		` 9:00:00 (lmgrd) Server's System Date and Time: Wed Dec 01 2010 09:00:00 Tokyo Standard Time`,
		` 9:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server-a (IBM PC) (12/1/2010)`,
		` 9:00:05 (lmgrd) CONNECTED, master is server-a`,
		` 9:01:17 (bm) OUT: "bm_solver" user-001@ws-001  `,
		` 9:01:18 (bm) OUT: "bm_solver" user-002@server-a  `)
	for _, w := range []string{"master", "tokyo", "bm"} {
		if r.t.found(w) {
			t.Errorf("%q is looked for everywhere: it is an ordinary word here", w)
		}
	}
}

// Text, line endings and encodings are kept: UTF-16 with and without BOM, Shift_JIS with bytes
// that are not characters, leading NULs, CRLF, a last line without its end, a line longer than
// a piece.
func TestEncodings(t *testing.T) {
	jp := strings.Repeat("ライセンス", 25) // enough Japanese for one byte that is not a character
	text := " 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_n6) started on lic-a (IBM PC) (12/1/2010)\r\n" +
		" 9:00:01 (lmgrd) " + jp + " ファイルの場所は次のとおりです: C:\\Users\\yamada\\license.dat\r\n" +
		" 9:00:02 (lmgrd) Connected to lic-b\r\r\n" +
		" 9:00:03 (lmgrd) Lost connection to lic-b"
	want := " 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_n6) started on server-a (IBM PC) (12/1/2010)\r\n" +
		" 9:00:01 (lmgrd) " + jp + " ファイルの場所は次のとおりです: C:\\Users\\user-001\\license.dat\r\n" +
		" 9:00:02 (lmgrd) Connected to server-b\r\r\n" +
		" 9:00:03 (lmgrd) Lost connection to server-b"
	sjis := func(s string) []byte {
		b := sjisCodec{}.encode(nil, []byte(s))
		return bytes.ReplaceAll(b, []byte(" C:"), []byte(" \xfdC:")) // not a character
	}
	for _, c := range []struct {
		name string
		in   []byte
		out  []byte
		enc  string
	}{
		{"utf8-bom", append([]byte("\xef\xbb\xbf"), text...), append([]byte("\xef\xbb\xbf"), want...), parser.EncodingUTF8},
		{"utf16le-bom", append([]byte{0xff, 0xfe}, utf16Codec{}.encode(nil, []byte(text))...), append([]byte{0xff, 0xfe}, utf16Codec{}.encode(nil, []byte(want))...), parser.EncodingUTF16LE},
		{"utf16be", utf16Codec{be: true}.encode(nil, []byte(text)), utf16Codec{be: true}.encode(nil, []byte(want)), parser.EncodingUTF16BE},
		{"sjis", sjis(text), sjis(want), parser.EncodingSJIS},
		{"nul", append(make([]byte, 4), text...), append(make([]byte, 4), want...), parser.EncodingUTF8},
		{"utf16-lone-surrogate", utf16Codec{}.encode(nil, []byte(strings.Replace(text, "ライセンス", "\U0010F001ライ", 1))),
			utf16Codec{}.encode(nil, []byte(strings.Replace(want, "ライセンス", "\U0010F001ライ", 1))), parser.EncodingUTF16LE},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := t.TempDir()
			p := filepath.Join(in, "lic-a.log")
			os.WriteFile(p, c.in, 0o644)
			tab := NewTable(false)
			r := New(tab, []string{p}, parser.Options{})
			if err := r.Collect(); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			w, err := r.Write(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(w) != 1 || w[0].Name != "server-a.log" || w[0].Encoding != c.enc {
				t.Fatalf("wrote %+v, want server-a.log in %s", w, c.enc)
			}
			got, _ := os.ReadFile(filepath.Join(out, "server-a.log"))
			if !bytes.Equal(got, c.out) {
				t.Errorf("wrote\n%q\nwant\n%q", got, c.out)
			}
			if leak, err := tab.ScanDir(out, w); err != nil || !leak.Empty() {
				t.Errorf("scan: %v %v", leak, err)
			}
		})
	}
}

// A line longer than a piece is redacted piece by piece, a name at the cut included.
func TestLongLine(t *testing.T) {
	long := strings.Repeat("x", maxPiece-4) + " lic-b " + strings.Repeat("lic-b ", 10) + strings.Repeat("y", maxPiece)
	log := " 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lic-a (linux) (12/1/2010)\n" +
		" 9:00:02 (lmgrd) Connected to lic-b\n" + long + "\n 9:00:03 (lmgrd) Lost connection to lic-b\n"
	got, _ := run(t, NewTable(false), map[string]string{"lic-a.log": log})
	out := got["server-a.log"]
	if strings.Contains(out, "lic-b") || strings.Count(out, "server-b") != 13 || len(out) != len(log)+14*3 {
		t.Errorf("the long line is not redacted whole: %d server-b, length %d (want %d)", strings.Count(out, "server-b"), len(out), len(log)+14*3)
	}
}

// Bad input never panics, whatever a line holds.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{
		` 9:49:41 (lmgrd) FlexNet Licensing (v11 build 1 x) started on a.b.c (linux) (6/8/2017)`,
		`21:06:15 (v) OUT: "f" u@h.d.e  (20 licenses) `,
		`15:28:58 (v) UNSUPPORTED: "x" (y u@h`,
		`    u h h:0 (v1) (s/1 2), start`,
		`SERVER a ID= 1`,
		`FEATURE f v 1 p 1 SIGN="12 34`,
		`\\\\h\\`,
		`/home//`,
		`1@`,
		"\x00\xff\xfe",
		`License server status: 1@,@,`,
		`Vendor daemon status (on `,
		`Users of :`,
		`  "f`,
		`1 RESERVATION for USER`,
		`x@1.2.3.4.5 a@b.c.d`,
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, line string, kind uint8) {
		k := []parser.Kind{parser.KindDebugLog, parser.KindLmstat, parser.KindLicense}[kind%3]
		tab := NewTable(kind%2 == 0)
		r := &Redactor{t: tab}
		rec := &recognizer{kind: k}
		text := []byte(line)
		sp := rec.line(text)
		last := 0
		for _, s := range sp {
			if s.start < last || s.end > len(text) {
				t.Fatalf("span %+v out of order or of the line", s)
			}
			tab.discover(text[last:s.start])
			r.collect(s, string(text[s.start:s.end]))
			last = s.end
		}
		tab.discover(text[last:])
		if err := tab.Finish(); err != nil {
			t.Fatal(err)
		}
		out := r.rewrite(nil, text, &recognizer{kind: k}, true)
		tab.m.find(out, func(i, j int, tk tok) bool {
			t.Errorf("a %s survives in %q: %q", tk.e.kind.Label(), out, out[i:j])
			return false
		})
	})
}

// Every word the parser and the analysis compare lines with is an ordinary word: a name equal
// to one is not replaced where the word is the word. vocab_words.go is what vocab_gen.go makes
// of their strings today.
func TestVocabulary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run vocab_gen.go")
	}
	out := filepath.Join(t.TempDir(), "vocab_words.go")
	cmd := exec.Command("go", "run", "vocab_gen.go", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run vocab_gen.go: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("vocab_words.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("vocab_words.go is not what vocab_gen.go makes of the parser's and the analysis's strings today: run go generate ./parser/redact")
	}
}

// lmstat can list one host twice, in two cases (the search path and the SERVER line differ,
// FORMATS.md 2.2): the two spellings stay two, each of the same pseudonym.
func TestDuplicateCaseHost(t *testing.T) {
	lmstat := `lmutil - Copyright (c) 1989-2012 Flexera Software LLC. All Rights Reserved.
Flexible License Manager status on Thu 6/26/2014 09:47

[Detecting lmgrd processes...]
License server status: 7788@BVS15004
    License file(s) on BVS15004: licensing\license.dat:

  BVS15004: license server UP (MASTER) v11.12
  bvs15004: license server UP v11.12
`
	got, _ := run(t, NewTable(false), map[string]string{"lmstat.txt": lmstat})
	wantLines(t, "lmstat", got["lmstat.txt"],
		`License server status: 7788@SERVER-A`,
		`    License file(s) on SERVER-A: licensing\license.dat:`,
		`  SERVER-A: license server UP (MASTER) v11.12`,
		`  server-a: license server UP v11.12`)
}

// A four-part version number is a version, not an IP address, after "version =", after a
// program's name ("lmgrd.exe:") or before a platform (x64_n6): support needs the versions.
func TestVersionNotIP(t *testing.T) {
	log := ` 9:00:00 (lmgrd) FlexNet Licensing (v11.19.6.0 build 293152 x64_n6) started on lic1 (IBM PC) (9/1/2025)
 9:00:01 (lmgrd) Started MSC (pid 1962)
 9:00:02 (MSC) Server started on lic1 for:	f1
 9:00:03 (MSC)  (@MSC-INFO@)        Flexera internal version =  11.19.6.0 x64_n6
 9:00:03 (MSC)  (@MSC-INFO@)   1) lmgrd.exe:   11.19.6.0 x64_n6
 9:00:03 (MSC)  (@MSC-INFO@)   2) lmtools.exe: 11.19.6.0
 9:00:04 (lmgrd) lmgrd tcp-port 27000 on 10.20.30.40, from 10.20.30.41
`
	got, r := run(t, NewTable(false), map[string]string{"lic1.log": log})
	wantLines(t, "log", got["server-a.log"],
		` 9:00:03 (MSC)  (@MSC-INFO@)        Flexera internal version =  11.19.6.0 x64_n6`,
		` 9:00:03 (MSC)  (@MSC-INFO@)   1) lmgrd.exe:   11.19.6.0 x64_n6`,
		` 9:00:03 (MSC)  (@MSC-INFO@)   2) lmtools.exe: 11.19.6.0`,
		` 9:00:04 (lmgrd) lmgrd tcp-port 27000 on 192.0.2.1, from 192.0.2.2`)
	if r.t.ips["11.19.6.0"] != nil {
		t.Error("11.19.6.0 is recorded as an IP address")
	}
}

// A hostid masked by hand with X (ID=XXXXXX) is what the dummy of a VENDOR_STRING writes
// (ei=XXXXXX): it is replaced where a form says it is a hostid, and the scan does not take the
// dummy for it.
func TestPlaceholderHostID(t *testing.T) {
	lmstat := `lmutil - Copyright (c) 1989-2022 Flexera. All Rights Reserved.
Flexible License Manager status on Mon 3/16/2026 12:16

License server status: 1713@LICSRV1
    License file(s) on LICSRV1: /opt/licenses/license.dat:

  LICSRV1: license server UP (MASTER) v11.19.7

Vendor daemon status (on LICSRV1):

       MLM: UP v11.19.7

Feature usage info:

Users of MATLAB:  (Total of 420 licenses issued;  Total of 60 licenses in use)

  "MATLAB" v53, vendor: MLM, expiry: 01-jan-2099
  vendor_string: vi=0:at=276:ae=1:lo=NNU:ei=XXXXXX:lr=1:
  nodelocked license, locked to "ID=XXXXXX"

    jdoe pc17 pc17 (v44) (LICSRV1/1713 104), start Mon 3/16 8:13
`
	got, _ := run(t, NewTable(false), map[string]string{"lmstat.txt": lmstat})
	wantLines(t, "lmstat", got["lmstat.txt"],
		`  vendor_string: xx=0:xx=000:xx=0:xx=XXX:xx=XXXXXX:xx=0:`,
		`  nodelocked license, locked to "ID=000001"`,
		`    user-001 ws-001 ws-001 (v44) (SERVER-A/1713 104), start Mon 3/16 8:13`)
}

// The hostids a vendor daemon writes (its SLOG block, "Wrong hostid on SERVER line") are
// hostids: every MAC address of the server is replaced, as the SERVER line's is.
func TestHostIDLines(t *testing.T) {
	log := ` 9:00:00 (lmgrd) FlexNet Licensing (v11.19.6.0 build 293152 x64_n6) started on lic1 (IBM PC) (3/8/2026)
 9:00:01 (lmgrd) Started MSC (pid 1962)
 9:00:02 (MSC) (@MSC-SLOG@) HostID node-locked in license file: 507c6f06e896 
 9:00:02 (MSC) (@MSC-SLOG@) HostID of the License Server: "ae5e20524153 5c6f69d53521 507c6f06e896"
 9:00:02 (MSC) Server started on lic1 for:	f1
 9:00:05 (MSC) Wrong hostid on SERVER line for license file:
 9:00:05 (MSC) 	C:\flexlm\license.dat
 9:00:05 (MSC) SERVER line says 507c6f06e896, hostid is "ae5e20524153 5c6f69d53521"
 9:00:05 (MSC) Invalid hostid on SERVER line
`
	lic := "SERVER lic1 507c6f06e896 27000\nVENDOR MSC\n"
	got, _ := run(t, NewTable(false), map[string]string{"lic1.log": log, "license.dat": lic})
	wantLines(t, "license", got["license.dat"], `SERVER server-a 000000000001 27000`)
	wantLines(t, "log", got["server-a.log"],
		` 9:00:02 (MSC) (@MSC-SLOG@) HostID node-locked in license file: 000000000001 `,
		` 9:00:02 (MSC) (@MSC-SLOG@) HostID of the License Server: "000000000002 000000000003 000000000001"`,
		` 9:00:05 (MSC) SERVER line says 000000000001, hostid is "000000000002 000000000003"`,
		` 9:00:05 (MSC) Invalid hostid on SERVER line`)
}

// The client info (user, node, FD) of a vendor daemon's SLOG block names a user and a
// workstation, also of clients that no OUT line names.
func TestSlogClientInfo(t *testing.T) {
	log := ` 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lic1 (linux) (6/8/2017)
 9:00:02 (bm) Server started on lic1 for:	f1
 9:00:05 (bm) OUT: "f1" alice@ws1  
 9:00:06 (bm) (@bm-SLOG@) Request processing time, when, #concurrent clients, client info (user, node, FD)
 9:00:06 (bm) (@bm-SLOG@) 00000000 ms at  9:00:05(6/8/2017),#3,(bob,build7,19)
 9:00:06 (bm) (@bm-SLOG@) 00000000 ms at  9:00:05(6/8/2017),#3,(alice,ws1,20)
 9:00:06 (bm) (@bm-SLOG@) 00000000 ms at Fri Jul 27 2018 19:48:39 Eastern Daylight Time,#3,(4288K),(Wittenburg,ANOTHERPC,556)
 9:00:06 (bm) (@bm-SLOG@) 00000000 ms at  9:00:05(6/8/2017),#45,(acct010,nyx7005.arc-ts.umich.edu,42)
`
	got, r := run(t, NewTable(false), map[string]string{"lic1.log": log})
	wantLines(t, "log", got["server-a.log"],
		` 9:00:05 (bm) OUT: "f1" user-001@ws-001  `,
		` 9:00:06 (bm) (@bm-SLOG@) 00000000 ms at  9:00:05(6/8/2017),#3,(user-002,ws-002,19)`,
		` 9:00:06 (bm) (@bm-SLOG@) 00000000 ms at  9:00:05(6/8/2017),#3,(user-001,ws-001,20)`,
		` 9:00:06 (bm) (@bm-SLOG@) 00000000 ms at Fri Jul 27 2018 19:48:39 Eastern Daylight Time,#3,(4288K),(User-003,WS-003,556)`,
		` 9:00:06 (bm) (@bm-SLOG@) 00000000 ms at  9:00:05(6/8/2017),#45,(user-004,ws-004.dom1.example,42)`)
	for _, w := range []string{"bob", "build7", "wittenburg", "anotherpc", "acct010", "nyx7005"} {
		if !r.t.found(w) {
			t.Errorf("%q is not looked for", w)
		}
	}
}

// In free text, the host of an FQDN under a known domain is its first label, whatever the
// sub-domains between (gpu3.cluster.acme.com: the host gpu3, the domain cluster.acme.com), also
// when the domain is known only from a later line.
func TestFQDNHostLabel(t *testing.T) {
	log := ` 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lic1.acme.com (linux) (6/8/2017)
 9:00:02 (bm) Server started on lic1.acme.com for:	f1
 9:00:05 (bm) OUT: "f1" alice@ws1.acme.com  
 9:00:06 (bm) Cannot reach license proxy gpu3.cluster.acme.com, retrying
 9:00:07 (bm) Cannot reach license proxy moab.stage.arc-ts.umich.edu, retrying
 9:00:08 (bm) OUT: "f1" bob@nyx7005.arc-ts.umich.edu  
`
	got, r := run(t, NewTable(false), map[string]string{"lic1.log": log})
	wantLines(t, "log", got["server-a.log"],
		` 9:00:06 (bm) Cannot reach license proxy host-001.dom2.example, retrying`,
		` 9:00:07 (bm) Cannot reach license proxy host-002.dom5.example, retrying`)
	for _, w := range []string{"gpu3", "moab"} {
		if !r.t.found(w) {
			t.Errorf("the host %q is not looked for", w)
		}
	}
	for _, w := range []string{"cluster", "stage"} {
		if e := r.t.hosts[w]; e != nil {
			t.Errorf("the sub-domain label %q is taken for a host", w)
		}
	}
}

// A workstation whose name is not ASCII (Japanese Windows allows it) is a workstation, in a
// Shift_JIS log and in an lmstat output.
func TestNonASCIIWorkstation(t *testing.T) {
	log := " 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_n6) started on lic1 (IBM PC) (6/8/2017)\r\n" +
		" 9:00:02 (bm) Server started on lic1 for:\tf1\r\n" +
		" 9:00:05 (bm) OUT: \"f1\" yamada@営業部-PC01  \r\n" +
		" 9:00:06 (bm) OUT: \"f1\" tanaka@ＰＣ-東京01  \r\n" +
		" 9:00:08 (bm) IN: \"f1\" yamada@営業部-PC01  \r\n"
	lmstat := `Flexible License Manager status on Fri 10/20/2017 17:02

License server status: 27000@lic1

Feature usage info:

Users of f1:  (Total of 10 licenses issued;  Total of 1 license in use)

  "f1" v1.0, vendor: bm
  floating license

    田中太郎 ＰＣ-東京01 ＰＣ-東京01 (v1.0) (lic1/27000 101), start Fri 10/20 16:44
`
	in := t.TempDir()
	os.WriteFile(filepath.Join(in, "lic1.log"), sjisCodec{}.encode(nil, []byte(log)), 0o644)
	os.WriteFile(filepath.Join(in, "lmstat.txt"), []byte(lmstat), 0o644)
	tab := NewTable(false)
	r := New(tab, []string{in}, parser.Options{})
	if err := r.Collect(); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	w, err := r.Write(out)
	if err != nil {
		t.Fatal(err)
	}
	if leak, err := tab.ScanDir(out, w); err != nil || !leak.Empty() {
		t.Errorf("scan: %v %v", leak, err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "server-a.log"))
	got := string(sjisCodec{}.decode(nil, b))
	wantLines(t, "log", got,
		` 9:00:05 (bm) OUT: "f1" user-001@WS-001  `,
		` 9:00:06 (bm) OUT: "f1" user-002@ws-002  `,
		` 9:00:08 (bm) IN: "f1" user-001@WS-001  `)
	b, _ = os.ReadFile(filepath.Join(out, "lmstat.txt"))
	wantLines(t, "lmstat", string(b), `    user-003 ws-002 ws-002 (v1.0) (server-a/27000 101), start Fri 10/20 16:44`)
	for _, w := range []string{"営業部-pc01", "ＰＣ-東京01"} {
		if e := tab.hosts[w]; e == nil || e.kind != KindWorkstation {
			t.Errorf("%s is not a workstation", w)
		}
	}
}

// A user named as a server is one name: it gets the server's pseudonym everywhere, in usage
// lines, free text and file names, the same in every run.
func TestUserNamedLikeServer(t *testing.T) {
	lic := "SERVER flex 0050568c3d2e 27001\nSERVER lic2 0050568c3d2f 27001\nSERVER lic3 0050568c3d30 27001\nVENDOR bm\n"
	flex := " 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on flex (linux) (6/8/2017)\n" +
		" 9:00:00 (lmgrd) License file(s): /srv/flex/license.dat\n"
	var b strings.Builder
	b.WriteString(" 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lic2 (linux) (6/8/2017)\n")
	b.WriteString(" 9:00:02 (bm) Server started on lic2 for:\tf1\n")
	b.WriteString(" 9:00:05 (bm) OUT: \"f1\" flex@pc-01  \n")
	for i := range 30 { // enough tokens for the order of a map to vary
		fmt.Fprintf(&b, " 9:01:%02d (bm) OUT: \"f1\" someone%02dx@pc-%02dx  \n", i, i, i)
	}
	files := map[string]string{"flex.log": flex, "lic2.log": b.String(), "license.dat": lic}
	var first map[string]string
	for run1 := range 8 {
		got, _ := run(t, NewTable(false), files)
		if run1 == 0 {
			first = got
			if _, ok := got["server-a.log"]; !ok {
				t.Fatalf("flex.log is not server-a.log: wrote %v", sortedKeys(got))
			}
			wantLines(t, "flex", got["server-a.log"], ` 9:00:00 (lmgrd) License file(s): /srv/server-a/license.dat`)
			wantLines(t, "lic2", got["server-b.log"], ` 9:00:05 (bm) OUT: "f1" server-a@ws-001  `)
			continue
		}
		for name, text := range got {
			if first[name] != text {
				t.Fatalf("run %d writes %s otherwise than the first run: %v, then %v", run1+1, name, sortedKeys(first), sortedKeys(got))
			}
		}
		if len(got) != len(first) {
			t.Fatalf("run %d writes %v, the first %v", run1+1, sortedKeys(got), sortedKeys(first))
		}
	}
	// The map keeps the shared pseudonym: read again, it gives the same files.
	_, r := run(t, NewTable(false), files)
	var mb bytes.Buffer
	if err := r.t.WriteMap(&mb); err != nil {
		t.Fatal(err)
	}
	tab := NewTable(false)
	if err := tab.ReadMap(&mb); err != nil {
		t.Fatalf("ReadMap: %v", err)
	}
	got, _ := run(t, tab, files)
	for name, text := range first {
		if got[name] != text {
			t.Errorf("with the map, %s is written otherwise", name)
		}
	}
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// A server name shorter than three characters is a word of other words (lmgrd's "lm"): it is
// replaced where a form says it is a name, and where it is a whole element of a path: a file or
// folder name (lm.log, lm/), a folder in a path, a UNC host; elsewhere the word stays.
func TestShortServerName(t *testing.T) {
	lic := "SERVER lm 0050568c3d2e 27001\nSERVER lic2 0050568c3d2f 27001\nSERVER lic3 0050568c3d30 27001\nVENDOR bm\n"
	log := ` 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lm (linux) (6/8/2017)
 9:00:00 (lmgrd) License file(s): /home/flexadm/lm/license.dat
 9:00:00 (lmgrd) lmgrd -c C:\lm\license.dat -l \\lm\logs\lm.log (lm tools: lmutil lm lmstat)
 9:00:00 (lmgrd) Trying connection to lic2
`
	got, _ := run(t, NewTable(false), map[string]string{"lm.log": log, "lm/lic2.log": " 9:00:00 (lmgrd) Connected to lm\n", "license.dat": lic})
	if strings.Join(sortedKeys(got), " ") != "license.dat server-c.log server-c/server-a.log" {
		t.Fatalf("wrote %v", sortedKeys(got))
	}
	wantLines(t, "log", got["server-c.log"],
		` 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on server-c (linux) (6/8/2017)`,
		` 9:00:00 (lmgrd) License file(s): /home/user-001/server-c/license.dat`,
		` 9:00:00 (lmgrd) lmgrd -c C:\server-c\license.dat -l \\server-c\logs\server-c.log (lm tools: lmutil lm lmstat)`)
	wantLines(t, "lic2", got["server-c/server-a.log"], ` 9:00:00 (lmgrd) Connected to server-c`)
}
