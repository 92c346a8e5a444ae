package redact

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
)

const mapLog = ` 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on LIC-A (linux) (12/1/2010)
 9:00:02 (lmgrd) Connected to lic-b.corp.example.com
 9:01:17 (bm) OUT: "bm_solver" tanaka@pc-0123  
 9:01:18 (bm) OUT: "bm_solver" CORP\jdoe@10.1.2.3  
`

// The same inputs redacted again with the map of the first run give the same files byte for
// byte; a follow-up with more names keeps the old pseudonyms and gives the new ones the next.
func TestMapReuse(t *testing.T) {
	first := NewTable(false)
	got1, _ := run(t, first, map[string]string{"lic-a.log": mapLog})
	var m bytes.Buffer
	if err := first.WriteMap(&m); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"original": "LIC-A"`, `"pseudonym": "server-a"`, `"original": "corp.example.com"`,
		`"original": "CORP\\jdoe"`, `"original": "10.1.2.3"`, `"pseudonym": "192.0.2.1"`} {
		if !strings.Contains(m.String(), s) {
			t.Errorf("the map has no %s:\n%s", s, m.String())
		}
	}
	if strings.Contains(m.String(), "bm_solver") {
		t.Error("the map holds a feature name without --features")
	}

	again := NewTable(false)
	if err := again.ReadMap(bytes.NewReader(m.Bytes())); err != nil {
		t.Fatal(err)
	}
	got2, _ := run(t, again, map[string]string{"lic-a.log": mapLog})
	if got1["server-a.log"] != got2["server-a.log"] {
		t.Errorf("a second run with the map differs:\n%s\n%s", got1["server-a.log"], got2["server-a.log"])
	}

	more := NewTable(false)
	more.ReadMap(bytes.NewReader(m.Bytes()))
	// alphabetically before lic-a: still server-c, after the two the map holds
	got3, _ := run(t, more, map[string]string{"lic-a.log": mapLog + " 9:02:00 (lmgrd) Connected to lic-0\n 9:03:00 (bm) OUT: \"bm_solver\" aoki@pc-0999  \n"})
	wantLines(t, "follow-up", got3["server-a.log"],
		` 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on SERVER-A (linux) (12/1/2010)`,
		` 9:00:02 (lmgrd) Connected to server-b.dom1.example`,
		` 9:01:17 (bm) OUT: "bm_solver" user-001@ws-001  `,
		` 9:01:18 (bm) OUT: "bm_solver" User-002@192.0.2.1  `,
		` 9:02:00 (lmgrd) Connected to server-c`,
		` 9:03:00 (bm) OUT: "bm_solver" user-003@ws-002  `)

	for _, bad := range []string{``, `{}`, `{"schema":"other"}`,
		`{"schema":"lmtriad.redact-map/v1","entries":[{"kind":"signature","original":"x","pseudonym":"y"}]}`,
		`{"schema":"lmtriad.redact-map/v1","entries":[{"kind":"user","original":"a1","pseudonym":"u"},{"kind":"user","original":"A1","pseudonym":"v"}]}`,
		`{"schema":"lmtriad.redact-map/v1","entries":[{"kind":"user","original":"a1","pseudonym":"u"},{"kind":"user","original":"b1","pseudonym":"u"}]}`,
	} {
		if err := NewTable(false).ReadMap(strings.NewReader(bad)); err == nil {
			t.Errorf("map %q accepted", bad)
		}
	}
}

// A map whose pseudonym is a name of the new inputs is refused: the pseudonym would stand for
// two names.
func TestMapClash(t *testing.T) {
	tab := NewTable(false)
	tab.ReadMap(strings.NewReader(`{"schema":"lmtriad.redact-map/v1","entries":[{"kind":"server","original":"lic-z","pseudonym":"server-b"}]}`))
	in := t.TempDir()
	os.WriteFile(filepath.Join(in, "a.log"), []byte(" 9:00:00 (lmgrd) FlexNet Licensing (v11 build 1 x) started on server-b (linux) (12/1/2010)\n"), 0o644)
	if err := New(tab, []string{in}, parser.Options{}).Collect(); err == nil || !strings.Contains(err.Error(), "new map") {
		t.Errorf("Collect = %v, want a refusal of the map", err)
	}
}

// The scan finds what survived: in content (raw, or only once decoded), and in a name.
func TestScanLeaks(t *testing.T) {
	tab := NewTable(false)
	_, r := run(t, tab, map[string]string{"lic-a.log": mapLog})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.log"), []byte("all fine\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.log"), utf16Codec{}.encode(nil, []byte("from tanaka\n")), 0o644)
	os.WriteFile(filepath.Join(dir, "c.log"), []byte("TANAKA in UTF-8 where UTF-16 was written\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pc-0123.log"), []byte("x\n"), 0o644)
	written := []Written{{Name: "a.log", Encoding: "utf-8"}, {Name: "b.log", Encoding: "utf-16le"},
		{Name: "c.log", Encoding: "utf-16le"}, {Name: "pc-0123.log", Encoding: "utf-8"}}
	leak, err := r.Table().ScanDir(dir, written)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(leak.Files, " ") != "b.log c.log pc-0123.log" || len(leak.Kinds) != 2 || leak.Kinds[0] != KindWorkstation || leak.Kinds[1] != KindUser {
		t.Errorf("scan: %+v", leak)
	}
	for _, f := range []string{"zip", "tar.gz"} {
		var b bytes.Buffer
		if err := Pack(&b, dir, written, f); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "x."+f)
		os.WriteFile(p, b.Bytes(), 0o644)
		leak, err := r.Table().ScanArchive(p, f, written)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(leak.Files, " ") != "b.log c.log pc-0123.log" {
			t.Errorf("%s scan: %+v", f, leak)
		}
	}
}

// Names go back into a report escaped as its format needs: JSON strings, HTML text, Markdown
// prose (not code), CSV fields.
func TestReverseEscapes(t *testing.T) {
	tab := NewTable(false)
	run(t, tab, map[string]string{"a.log": " 9:00:00 (lmgrd) FlexNet Licensing (v11 build 1 x) started on lic-a (linux) (12/1/2010)\n" +
		" 9:01:17 (bm) OUT: \"f\" CORP\\jdoe@flexlm_ws  \n" +
		" 9:01:18 (bm) OUT: \"f\" Doe, John@flexlm_ws  \n" +
		" 9:01:19 (lmgrd) License file(s): C:\\Users\\O'Brien&Co<x>\\license.dat\n"})
	p := func(k Kind, s string) string {
		if e := tab.space(k)[lowerASCII(s)]; e != nil {
			return e.pseudo
		}
		t.Errorf("no %s %q", k, s)
		return ""
	}
	u1, u2, u3, ws := p(KindUser, `CORP\jdoe`), p(KindUser, "Doe, John"), p(KindUser, "O'Brien&Co"), p(KindWorkstation, "flexlm_ws")
	if u1 == "" || u2 == "" || u3 == "" || ws == "" {
		t.Fatalf("pseudonyms %q %q %q %q", u1, u2, u3, ws)
	}
	for _, c := range []struct{ format, in, want string }{
		{"json", `{"text": "` + u1 + ` at ` + ws + `", "u": "` + u3 + `"}` + "\n", `{"text": "CORP\\jdoe at flexlm_ws", "u": "O'Brien&Co"}` + "\n"},
		{"html", `<td>` + u3 + `</td><td title="` + u1 + `">` + "\n", `<td>O&#39;Brien&amp;Co</td><td title="CORP\jdoe">` + "\n"},
		{"markdown", `on ` + ws + ` and ` + "`" + ws + "`" + "\n", `on flexlm\_ws and ` + "`flexlm_ws`\n"},
		{"markdown", "```\n" + ws + "\n```\n" + ws + "\n", "```\nflexlm_ws\n```\nflexlm\\_ws\n"},
		{"markdown", "| " + ws + " | `" + u3 + "` |\n", "| flexlm\\_ws | `O'Brien&Co` |\n"},
		{"csv", "start,masters\r\nx," + u2 + ";" + ws + "\r\n", "start,masters\r\nx,\"Doe, John;flexlm_ws\"\r\n"},
		{"text", u1 + "  x\n", `CORP\jdoe x` + "\n"},
	} {
		var b bytes.Buffer
		if err := tab.Reverse(&b, strings.NewReader(c.in), c.format); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s: %q reversed is\n%q, want\n%q", c.format, c.in, b.String(), c.want)
		}
	}
}
