package redact_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/redact"
	"github.com/lmtriad/lmtriad/report"
	"github.com/lmtriad/lmtriad/samples/sim"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// The property (issue 12): for every sample and for random simulated incidents, hostile
// variation included, the redacted incident analyses to what the original does, names mapped:
// the same triad, clocks, intervals, findings and verdict, compared as JSON reports once the
// pseudonyms of the redacted one are turned back into names (Reverse); and no name of the
// original, found by the test on its own, is anywhere in what was written, read raw or decoded.
//
// LMTRIAD_REDACT_SEEDS=N checks N random incidents instead of the few of a normal run.

const defaultSeeds = 40

func seeds(t *testing.T) int {
	n := defaultSeeds
	if s := os.Getenv("LMTRIAD_REDACT_SEEDS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			t.Fatalf("LMTRIAD_REDACT_SEEDS=%q: not a count", s)
		}
		n = v
	}
	if testing.Short() {
		n = min(n, 3)
	}
	return n
}

// incident is one input set: where its files are, what to give the redactor and the analysis.
type incident struct {
	paths    []string // as given to the redactor and to the analysis
	prefixes []string // what the analysis's names of its files start with, to strip
	files    map[string][]byte
	zone     *time.Location
	grace    time.Duration
}

func TestPropertySamples(t *testing.T) {
	dirs, err := filepath.Glob("../../samples/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if st, err := os.Stat(filepath.Join(d, "license.dat")); err != nil || st.IsDir() {
			continue // not an incident (gen, scenarios, sim)
		}
		n++
		name := filepath.Base(d)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			abs, _ := filepath.Abs(d)
			zone, grace := "Asia/Tokyo", 300
			if b, err := os.ReadFile(filepath.Join(d, "truth.json")); err == nil {
				var tr struct {
					Timezone string `json:"timezone"`
					Grace    int    `json:"rejoin_grace_seconds"`
				}
				if err := json.Unmarshal(b, &tr); err != nil {
					t.Fatal(err)
				}
				zone, grace = tr.Timezone, tr.Grace
			}
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			inc := &incident{paths: []string{abs}, prefixes: []string{abs + "/"}, files: readFiles(t, abs), zone: loc,
				grace: time.Duration(grace) * time.Second}
			checkIncident(t, inc, "folder", 0)
		})
	}
	if n < 10 {
		t.Errorf("%d samples checked; the samples folder holds more", n)
	}
	t.Logf("%d samples checked", n)
}

func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func TestPropertyRandom(t *testing.T) {
	n := seeds(t)
	for seed := int64(1); seed <= int64(n); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			checkSeed(t, seed)
		})
	}
	t.Logf("%d random incidents checked", n)
}

// variation is the hostile variation of a seed: the simulator's (clock offsets, fault density,
// lmstat gaps, DST, Windows or Linux, as samples/sim's TestProperty draws it) and the
// redactor's own: host names spelled as FQDNs and in upper case, logs in UTF-16 and Shift_JIS,
// a user in a path, the whole as a bundle, the output as an archive.
type variation struct {
	opts                 sim.RandomOptions
	fqdn, upper          bool
	utf16, sjis, bundle  int // which log (0-2) is re-encoded, -1 none; 0 none, 1 zip, 2 tar.gz
	out                  string
	user                 string
	missing              int // a server whose log is left out, -1 none
	crlf, nul, datestamp bool
}

func variationOf(seed int64) variation {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	v := variation{missing: -1, opts: sim.HostileOptions(r, 0.4)}
	h := rand.New(rand.NewPCG(uint64(seed), 0x7ed4c7a1))
	if h.IntN(4) == 0 {
		v.missing = h.IntN(3)
	}
	v.fqdn, v.upper = h.IntN(2) == 0, h.IntN(3) == 0
	v.utf16, v.sjis = h.IntN(4)-1, h.IntN(4)-1
	if v.sjis == v.utf16 {
		v.sjis = -1
	}
	v.bundle = h.IntN(3)
	v.out = []string{"folder", "zip", "tar.gz"}[h.IntN(3)]
	v.user = []string{"yamada", "J.Smith", "mueller-k"}[h.IntN(3)]
	v.nul = h.IntN(5) == 0
	return v
}

func (v variation) String() string {
	return fmt.Sprintf("fqdn=%v upper=%v utf16=%d sjis=%d bundle=%d out=%s user=%s missing=%d nul=%v",
		v.fqdn, v.upper, v.utf16, v.sjis, v.bundle, v.out, v.user, v.missing, v.nul)
}

func checkSeed(t *testing.T, seed int64) {
	v := variationOf(seed)
	sc := sim.Random(seed, v.opts)
	dir := t.TempDir()
	tr, err := sim.RenderDir(sc, dir)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	loc, err := time.LoadLocation(tr.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range tr.Files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = b
	}
	var names []string
	for _, s := range tr.Servers {
		names = append(names, s.Name)
	}
	if v.missing >= 0 {
		delete(files, tr.Servers[v.missing].Log)
	}
	vary(files, names, tr.Servers, v)
	in := filepath.Join(dir, "in")
	inc := &incident{files: files, zone: loc, grace: time.Duration(tr.RejoinGraceSeconds) * time.Second}
	switch v.bundle {
	case 0:
		writeDir(t, in, files)
		inc.paths, inc.prefixes = []string{in}, []string{in + "/"}
	case 1:
		p := filepath.Join(dir, "site-logs.zip")
		writeFile(t, p, zipOf(t, files))
		inc.paths, inc.prefixes = []string{p}, []string{p + "!"}
	case 2:
		p := filepath.Join(dir, "site-logs.tar.gz")
		writeFile(t, p, tarGzOf(t, files))
		inc.paths, inc.prefixes = []string{p}, []string{p + "!"}
	}
	t.Logf("%s; %s", sc.Name, v)
	checkIncident(t, inc, v.out, seed)
}

// vary applies the redactor's hostile variation to the rendered files.
func vary(files map[string][]byte, names []string, servers []sim.TruthServer, v variation) {
	logs := make([]string, len(servers))
	for i, s := range servers {
		logs[i] = s.Log
	}
	if b, ok := files["lmstat.log"]; ok {
		s := string(b)
		for _, n := range names {
			spelled := n
			if v.upper {
				spelled = strings.ToUpper(n)
			}
			if v.fqdn {
				spelled += ".corp.Example.com"
			}
			s = regexp.MustCompile(`(?m)^(\s*)`+regexp.QuoteMeta(n)+`: `).ReplaceAllString(s, "${1}"+spelled+": ")
			s = strings.ReplaceAll(s, "@"+n+",", "@"+spelled+",")
			s = regexp.MustCompile(`@`+regexp.QuoteMeta(n)+`(\r?)$`).ReplaceAllString(s, "@"+spelled+"$1")
		}
		files["lmstat.log"] = []byte(s)
	}
	for i, l := range logs {
		b, ok := files[l]
		if !ok {
			continue
		}
		// A line naming the license file under the user's folder, after the first line.
		eol := "\n"
		if bytes.Contains(b, []byte("\r\n")) {
			eol = "\r\n"
		}
		first, rest, _ := bytes.Cut(b, []byte("\n"))
		env := first[:bytes.IndexByte(first, ')')+2]
		extra := string(env) + `License file(s): C:\Users\` + v.user + `\flexlm\license.dat` + eol
		if i == v.sjis {
			extra = string(env) + `ライセンス ファイル: C:\Users\` + v.user + `\flexlm\license.dat` + eol
		}
		b = append(append(append(first, '\n'), extra...), rest...)
		switch i {
		case v.utf16:
			enc, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(b)
			b = enc
		case v.sjis:
			enc, err := japanese.ShiftJIS.NewEncoder().Bytes(b)
			if err != nil {
				panic(err)
			}
			b = enc
		}
		if v.nul && i == 0 {
			b = append(make([]byte, 8), b...)
		}
		files[l] = b
	}
}

func writeDir(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		writeFile(t, filepath.Join(dir, name), b)
	}
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortedNames(files map[string][]byte) []string {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range sortedNames(files) {
		w, err := zw.Create("incident/" + n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarGzOf(t *testing.T, files map[string][]byte) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, n := range sortedNames(files) {
		tw.WriteHeader(&tar.Header{Name: "incident/" + n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
		tw.Write(files[n])
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// checkIncident redacts the incident into an output of format (folder, zip, tar.gz) and checks
// the property.
func checkIncident(t *testing.T, inc *incident, format string, seed int64) {
	t.Helper()
	tab := redact.NewTable(false)
	r := redact.New(tab, inc.paths, parser.Options{})
	if err := r.Collect(); err != nil {
		t.Fatalf("Collect: %v", err)
	}
	work := t.TempDir()
	dir := filepath.Join(work, "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	written, err := r.Write(dir)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	out, outPrefix := dir, dir+"/"
	var leak *redact.Leak
	if format == "folder" {
		leak, err = tab.ScanDir(dir, written)
	} else {
		out = filepath.Join(work, "redacted."+format)
		var buf bytes.Buffer
		if err := redact.Pack(&buf, dir, written, format); err != nil {
			t.Fatal(err)
		}
		writeFile(t, out, buf.Bytes())
		outPrefix = out + "!"
		leak, err = tab.ScanArchive(out, format, written)
	}
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	if !leak.Empty() {
		t.Errorf("the scan finds %v in %v", leak.Kinds, leak.Files)
	}
	for _, w := range written {
		if want := inputEncoding(t, inc, w.From); w.Encoding != want {
			t.Errorf("%s is written in %s, read in %s", w.Name, w.Encoding, want)
		}
	}

	orig := analyzeJSON(t, inc.paths, inc.zone, inc.grace)
	red := analyzeJSON(t, []string{out}, inc.zone, inc.grace)
	var back bytes.Buffer
	if err := tab.Reverse(&back, strings.NewReader(red), "json"); err != nil {
		t.Fatal(err)
	}
	a, b := comparable(t, orig, inc.prefixes), comparable(t, back.String(), []string{outPrefix})
	if a != b {
		t.Errorf("the redacted incident analyses otherwise (names mapped back):\n%s", firstDiff(a, b))
	}
	if strings.Contains(red, `"verdict"`) && strings.Count(a, `"state"`) < 2 {
		t.Errorf("a report without intervals: the comparison proves little\n%s", a)
	}

	// The names the test finds in the original on its own are nowhere in the output.
	tokens := originalTokens(t, inc)
	if len(tokens) < 3 {
		t.Fatalf("only %d names found in the original", len(tokens))
	}
	re := tokenRE(tokens)
	for name, b := range outputFiles(t, out, format) {
		if m := re.FindString(strings.ToLower(name)); m != "" {
			t.Errorf("output file name %s holds %q", name, m)
		}
		for _, text := range decodings(b) {
			if m := re.FindString(strings.ToLower(text)); m != "" {
				t.Errorf("%s holds %q", name, strings.Trim(m, " \t\r\n:@/\\\"'(),"))
				break
			}
		}
	}
}

// inputEncoding is the encoding the parser reads an input in.
func inputEncoding(t *testing.T, inc *incident, from string) string {
	for name, b := range inc.files {
		if strings.HasSuffix(from, "/"+name) || strings.HasSuffix(from, "!"+name) {
			return parser.DetectEncoding(b)
		}
	}
	t.Fatalf("%s: not an input", from)
	return ""
}

func analyzeJSON(t *testing.T, paths []string, loc *time.Location, grace time.Duration) string {
	t.Helper()
	files, err := parser.ReadPaths(paths, parser.Options{Location: loc})
	if err != nil {
		t.Fatalf("ReadPaths %v: %v", paths, err)
	}
	rep, err := analyze.Analyze(files, analyze.Config{Location: loc, RejoinGrace: grace})
	if rep == nil {
		t.Fatalf("Analyze %v: %v", paths, err)
	}
	var buf bytes.Buffer
	if err := report.JSON(&buf, rep, report.Options{Version: "test", Location: loc}, false); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// comparable is what must not change in a report: the triad, clocks, intervals, findings,
// verdict and notes, with the files named without the folder or archive they are in, and white
// space in quoted lines as one space (lmstat right-justifies names in 10 columns).
func comparable(t *testing.T, js string, prefixes []string) string {
	t.Helper()
	for _, p := range prefixes {
		js = strings.ReplaceAll(js, jsonEscape(p), "")
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatalf("report: %v", err)
	}
	keep := map[string]any{}
	for _, k := range []string{"triad", "clock", "intervals", "findings", "verdict", "notes"} {
		keep[k] = squeeze(m[k])
	}
	b, err := json.MarshalIndent(keep, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func squeeze(v any) any {
	switch x := v.(type) {
	case string:
		return strings.Join(strings.Fields(x), " ")
	case []any:
		for i := range x {
			x[i] = squeeze(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = squeeze(x[k])
			// Evidence of one moment is in the order of file and server names, which the
			// pseudonyms do not keep: compared as a set.
			if ev, ok := x[k].([]any); ok && k == "evidence" {
				sort.SliceStable(ev, func(i, j int) bool {
					a, _ := json.Marshal(ev[i])
					b, _ := json.Marshal(ev[j])
					return string(a) < string(b)
				})
			}
		}
	}
	return v
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			lo := max(0, i-3)
			return fmt.Sprintf("line %d:\n  original: %s\n  redacted: %s\ncontext:\n%s", i+1, x, y, strings.Join(la[lo:min(len(la), i+3)], "\n"))
		}
	}
	return ""
}

var (
	usageRE   = regexp.MustCompile(`\) (?:OUT|IN|DENIED|QUEUED|DEQUEUED|UNSUPPORTED): "[^"]*" (?:\([^)]*\) )?([^@ ]+)@([^ \r\n]+)`)
	lmUserRE  = regexp.MustCompile(`(?m)^\s+(\S+) (\S+) (\S+) \(v[0-9]`)
	homeRE    = regexp.MustCompile(`(?i)[\\/](?:users|home)[\\/]([^\\/\s]+)`)
	signRE    = regexp.MustCompile(`SIGN2?="?([0-9A-F][0-9A-F ]+[0-9A-F])`)
	hexPairRE = regexp.MustCompile(`[0-9A-F]{4} [0-9A-F]{4}`)
)

// originalTokens are the names of the original, found by the test on its own: the parser's
// hosts and hostids, and by regular expressions the users and workstations of usage lines and
// lmstat user lines, users in paths, and pairs of signature groups.
func originalTokens(t *testing.T, inc *incident) []string {
	t.Helper()
	set := map[string]bool{}
	addHost := func(h string) {
		h = strings.ToLower(h)
		if i := strings.IndexByte(h, '@'); i >= 0 {
			h = h[i+1:]
		}
		short, dom, _ := strings.Cut(h, ".")
		set[short] = true
		if dom != "" {
			set[dom] = true
		}
	}
	files, err := parser.ReadPaths(inc.paths, parser.Options{Location: inc.zone})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.License != nil {
			for _, s := range f.License.Servers {
				addHost(s.Host)
				set[strings.ToLower(s.HostID)] = true
			}
		}
		for _, s := range f.Snapshots {
			for _, h := range s.Listed {
				addHost(h)
			}
			for _, sl := range s.Servers {
				addHost(sl.Name)
			}
		}
		for _, h := range f.Hosts {
			addHost(h)
		}
		for _, e := range f.Events {
			if e.Peer != "" {
				addHost(e.Peer)
			}
		}
	}
	for _, b := range inc.files {
		for _, text := range decodings(b) {
			for _, m := range usageRE.FindAllStringSubmatch(text, -1) {
				set[strings.ToLower(m[1])] = true
				addHost(m[2])
			}
			if strings.Contains(text, "License server status: ") {
				for _, m := range lmUserRE.FindAllStringSubmatch(text, -1) {
					set[strings.ToLower(m[1])] = true
					addHost(m[2])
				}
			}
			for _, m := range homeRE.FindAllStringSubmatch(text, -1) {
				set[strings.ToLower(m[1])] = true
			}
			for _, m := range signRE.FindAllStringSubmatch(text, -1) {
				for _, p := range hexPairRE.FindAllString(m[1], -1) {
					if strings.Trim(p, "0 ") != "" {
						set[strings.ToLower(p)] = true
					}
				}
			}
		}
	}
	var out []string
	for k := range set {
		if len(k) >= 3 && k != "any" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func tokenRE(tokens []string) *regexp.Regexp {
	var alts []string
	for _, tk := range tokens {
		alts = append(alts, regexp.QuoteMeta(tk))
	}
	sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	return regexp.MustCompile(`(?:^|[^a-z0-9])(?:` + strings.Join(alts, "|") + `)(?:[^a-z0-9]|$)`)
}

// decodings are a file's bytes as they are, and decoded from UTF-16 (LE and BE) and Shift_JIS.
func decodings(b []byte) []string {
	out := []string{string(b)}
	for _, d := range []interface{ Bytes([]byte) ([]byte, error) }{
		unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder(),
		unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder(),
		japanese.ShiftJIS.NewDecoder(),
	} {
		if s, err := d.Bytes(b); err == nil {
			out = append(out, string(s))
		}
	}
	return out
}

// outputFiles reads what was written: a folder's files, or an archive's entries.
func outputFiles(t *testing.T, out, format string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	switch format {
	case "folder":
		filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(out, p)
				files[rel] = b
			}
			return nil
		})
	case "zip":
		zr, err := zip.OpenReader(out)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			files[f.Name] = b
		}
	case "tar.gz":
		fh, _ := os.Open(out)
		defer fh.Close()
		gz, err := gzip.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err != nil {
				break
			}
			b, _ := io.ReadAll(tr)
			files[h.Name] = b
		}
	}
	if len(files) == 0 {
		t.Fatalf("nothing written in %s", out)
	}
	return files
}
