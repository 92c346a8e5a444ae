package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/lmtriad/lmtriad/report"
)

var readmePNG = flag.Bool("readme-png", false, "with TestHTMLInBrowser: also write docs/timeline.png, the README's picture of the KGTN sample's timeline")

// chromium finds the browser: Debian's chromium package (.ci/run installs it). Without one
// the browser tests skip, except in CI (CI set), where they fail.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH; CI must run the real-browser test (apt-get install -y chromium, as .ci/run does)")
	}
	t.Skip("no chromium on PATH: the real-browser test needs Debian's chromium package (apt-get install -y chromium)")
	return ""
}

// browser starts a headless chromium with flags that work without network, and a new empty
// profile; it ends with the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := chromium(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-device-scale-factor", "1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("starting %s: %v", bin, err)
	}
	return ctx
}

// tab is one page open in the browser, with what it did that a report must not do: console
// messages, uncaught exceptions, log entries, dialogs and requests for anything but files.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
	requests []string
}

func (tb *tab) note(format string, args ...any) {
	tb.mu.Lock()
	tb.problems = append(tb.problems, fmt.Sprintf(format, args...))
	tb.mu.Unlock()
}

// open loads the file in a new tab of the browser.
func open(t *testing.T, browserCtx context.Context, path string) *tab {
	t.Helper()
	tb := &tab{}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range e.Args {
				args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			tb.note("console.%s: %s", e.Type, strings.Join(args, " "))
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			desc := ""
			if d.Exception != nil {
				desc = d.Exception.Description
			}
			tb.note("uncaught exception at %s:%d: %s %s", d.URL, d.LineNumber+1, d.Text, desc)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
				tb.note("log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			tb.mu.Lock()
			tb.requests = append(tb.requests, e.Request.URL)
			tb.mu.Unlock()
		case *page.EventJavascriptDialogOpening:
			tb.note("a %s dialog opened: %q", e.Type, e.Message)
			go func() { // a listener must not run commands; dismiss it from elsewhere
				_, _ = chromedp.Run(tb.ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
					return cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
				}))
			}()
		}
	}))
	tb.ctx = ctx
	t.Cleanup(cancel)
	// The first run opens the tab, which lives as long as the context of that run: give it
	// the tab's own context, and a timeout only to what follows.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, 30*time.Second)
	defer cancelT()
	if err := chromedp.Do(tctx, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	return tb
}

// eval runs a script in the tab and decodes its result.
func eval[T any](t *testing.T, tb *tab, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %.80q: %v", js, err)
	}
	return v
}

func do(t *testing.T, tb *tab, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// clean fails the test for any console message, exception, dialog or request for anything
// other than a local file.
func (tb *tab) clean(t *testing.T) {
	t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		t.Error(p)
	}
	for _, u := range tb.requests {
		if !strings.HasPrefix(u, "file://") {
			t.Errorf("the page requested %s", u)
		}
	}
}

type box struct{ X, Y, W, H float64 }

// TestHTMLInBrowser loads the KGTN sample's HTML report in headless chromium from a file URL
// and uses it as a person would: the timeline has its four lanes, hovering a segment shows its
// span, state and evidence, clicking a finding highlights its span; the page logs nothing,
// raises nothing and requests nothing. It saves a screenshot in the test's temporary
// directory (and, with -readme-png, the README's picture).
func TestHTMLInBrowser(t *testing.T) {
	start := time.Now()
	ctx := browser(t)
	dir := t.TempDir()
	out, errOut, code := runAt(t, "analyze", "--tz", "Asia/Tokyo", "--format", "html", sample)
	if code != 1 {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	path := filepath.Join(dir, "kgtn.html")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	tb := open(t, ctx, path)

	// Four lanes (the triad, then the servers in SERVER-line order), each drawn with a size.
	type lane struct {
		Lane       string
		W, H       float64
		Segs       int
		ScreenW    float64
		ScreenH    float64
		Background string
	}
	lanes := eval[[]lane](t, tb, `Array.from(document.querySelectorAll("svg .lane")).map(function (g) {
		var b = g.getBBox(), r = g.getBoundingClientRect();
		return {Lane: g.dataset.lane, W: b.width, H: b.height, Segs: g.querySelectorAll(".seg").length, ScreenW: r.width, ScreenH: r.height};
	})`)
	var names []string
	for _, l := range lanes {
		names = append(names, l.Lane)
		if l.W <= 0 || l.H <= 0 || l.ScreenW <= 0 || l.ScreenH <= 0 || l.Segs == 0 {
			t.Errorf("lane %s: bbox %gx%g, on screen %gx%g, %d segments", l.Lane, l.W, l.H, l.ScreenW, l.ScreenH, l.Segs)
		}
	}
	if got := strings.Join(names, ","); got != "triad,server1,server2,server3" {
		t.Errorf("lanes = %s, want triad,server1,server2,server3", got)
	}
	if n := eval[int](t, tb, `document.querySelectorAll('svg .lane[data-lane="triad"] .seg').length`); n != 9 {
		t.Errorf("triad lane has %d segments, want one per interval (9)", n)
	}
	if fill := eval[string](t, tb, `getComputedStyle(document.querySelector('svg .seg.st-failed-rejoin rect')).fill`); fill != "rgb(201, 42, 42)" {
		t.Errorf("failed-rejoin segment fill = %s, want the red of the palette", fill)
	}

	// Hovering the failed-rejoin segment shows its state, span and evidence lines.
	b := eval[box](t, tb, `(function () {
		var r = document.querySelector('svg .lane[data-lane="triad"] .seg.st-failed-rejoin rect').getBoundingClientRect();
		return {X: r.x, Y: r.y, W: r.width, H: r.height};
	})()`)
	do(t, tb, chromedp.MouseEvent(chromedp.MouseMoved, b.X+b.W/2, b.Y+b.H/2))
	tip := eval[string](t, tb, `(function () { var t = document.getElementById("tip"); return t.hidden ? "" : t.innerText; })()`)
	for _, want := range []string{"failed-rejoin", "2010-12-01T12:58:32+09:00 to 2010-12-01T13:31:59+09:00 (33m27s)", "evidence:"} {
		if !strings.Contains(tip, want) {
			t.Errorf("the tooltip lacks %q:\n%s", want, tip)
		}
	}
	if !regexp.MustCompile(`samples/kgtn-2010120101/server\d\.log:\d+ `).MatchString(tip) {
		t.Errorf("the tooltip shows no evidence line (file:line):\n%s", tip)
	}
	if *readmePNG {
		// The picture shows server2's failed rejoin, the story of the sample.
		b := eval[box](t, tb, `(function () {
			var r = document.querySelector('svg .lane[data-lane="server2"] .seg:last-of-type rect').getBoundingClientRect();
			return {X: r.x, Y: r.y, W: r.width, H: r.height};
		})()`)
		do(t, tb, chromedp.MouseEvent(chromedp.MouseMoved, b.X+b.W/3, b.Y+b.H/2))
		shot := capture(t, tb, `["timeline", "legend", "tip"]`)
		png := filepath.Join(repoRoot, "docs", "timeline.png")
		if err := os.WriteFile(png, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", png, len(shot))
	}
	do(t, tb, chromedp.MouseEvent(chromedp.MouseMoved, 5, 5))
	if hidden := eval[bool](t, tb, `document.getElementById("tip").hidden`); !hidden {
		t.Error("the tooltip stays after the mouse left the segment")
	}

	// Clicking the first finding (masterless, 10:14:29 to 10:16:10) highlights its span.
	do(t, tb, chromedp.Click(chromedp.CSS(`ol.findings > li:first-child .fhead`)))
	type hl struct {
		Selected bool
		On       bool
		X, W     float64
		X0, X1   float64
		Lit      []string
	}
	h := eval[hl](t, tb, `(function () {
		var f = document.querySelector("ol.findings > li"), r = document.getElementById("hl");
		return {Selected: f.classList.contains("selected"), On: r.classList.contains("on"),
			X: parseFloat(r.getAttribute("x")), W: parseFloat(r.getAttribute("width")),
			X0: parseFloat(f.dataset.x0), X1: parseFloat(f.dataset.x1),
			Lit: Array.from(document.querySelectorAll('svg .lane[data-lane="triad"] .seg.hl')).map(function (s) { return s.getAttribute("class"); })};
	})()`)
	if !h.Selected || !h.On || h.X != h.X0 || h.W != h.X1-h.X0 {
		t.Errorf("after the click: finding selected %v, highlight on %v at x=%g width %g, want x=%g width %g", h.Selected, h.On, h.X, h.W, h.X0, h.X1-h.X0)
	}
	if len(h.Lit) != 1 || !strings.Contains(h.Lit[0], "st-masterless") {
		t.Errorf("highlighted triad segments = %q, want the masterless one", h.Lit)
	}
	shot := fullShot(t, tb)
	png := filepath.Join(dir, "kgtn.png")
	if err := os.WriteFile(png, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", png, len(shot))

	// Printing: the tooltip and hint are hidden, the timeline fits the page width.
	do(t, tb, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if v := eval[string](t, tb, `getComputedStyle(document.querySelector(".hint")).display`); v != "none" {
		t.Errorf("in print the hint shows (display %s)", v)
	}
	if w := eval[[]float64](t, tb, `[document.getElementById("tl").getBoundingClientRect().right, document.documentElement.clientWidth]`); w[0] > w[1] {
		t.Errorf("in print the timeline is wider than the page: %v", w)
	}
	shot = fullShot(t, tb)
	png = filepath.Join(dir, "kgtn-print.png")
	if err := os.WriteFile(png, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot as printed: %s (%d bytes)", png, len(shot))

	tb.clean(t)
	t.Logf("real-browser test took %v", time.Since(start).Round(time.Millisecond))
}

// TestHTMLInjectionInBrowser: a report of inputs whose server, file and user names are
// markup runs no script of theirs and shows the names as text.
func TestHTMLInjectionInBrowser(t *testing.T) {
	ctx := browser(t)
	out, errOut, code := runAt(t, "analyze", "--tz", "Asia/Tokyo", "--format", "html", hostileSample(t))
	if code != 1 {
		t.Fatalf("exit code %d; stderr:\n%s", code, errOut)
	}
	path := filepath.Join(t.TempDir(), "hostile.html")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	tb := open(t, ctx, path)
	type facts struct {
		Scripts, Images, Bold int
		Lanes                 []string
		Text                  string
	}
	f := eval[facts](t, tb, `({Scripts: document.scripts.length, Images: document.images.length,
		Bold: document.querySelectorAll("main b").length,
		Lanes: Array.from(document.querySelectorAll("svg .lane")).map(function (g) { return g.dataset.lane; }),
		Text: document.body.innerText})`)
	if f.Scripts != 1 || f.Images != 0 || f.Bold != 0 {
		t.Errorf("%d scripts, %d images, %d b elements: markup from the inputs became elements", f.Scripts, f.Images, f.Bold)
	}
	if len(f.Lanes) != 4 || f.Lanes[3] != hostileServer {
		t.Errorf("lanes = %q, want the hostile server's name as the last", f.Lanes)
	}
	for _, want := range []string{hostileServer, hostileFile} {
		if !strings.Contains(f.Text, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
	tb.clean(t)
}

// fullShot is a PNG of the whole page.
func fullShot(t *testing.T, tb *tab) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// capture is a PNG of the smallest box around the elements with these ids (a JSON list).
func capture(t *testing.T, tb *tab, ids string) []byte {
	t.Helper()
	r := eval[box](t, tb, `(function () {
		var x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
		`+ids+`.forEach(function (id) {
			var e = document.getElementById(id);
			if (!e || e.hidden) { return; }
			var r = e.getBoundingClientRect();
			x0 = Math.min(x0, r.left); y0 = Math.min(y0, r.top); x1 = Math.max(x1, r.right); y1 = Math.max(y1, r.bottom);
		});
		return {X: Math.floor(x0) - 4 + window.scrollX, Y: Math.floor(y0) - 4 + window.scrollY, W: Math.ceil(x1 - x0) + 8, H: Math.ceil(y1 - y0) + 8};
	})()`)
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng,
			Clip:   &page.Viewport{X: r.X, Y: r.Y, Width: r.W, Height: r.H, Scale: 1},
		})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// indexRow is a row of the batch index as the browser shows it.
type indexRow struct {
	Name, Verdict, Err string
	Href, URL          string // the link as written, and as the browser resolves it; "" for none
	Links              int
}

// indexRows reads the rows of the batch index open in the tab.
func indexRows(t *testing.T, tb *tab) []indexRow {
	t.Helper()
	return eval[[]indexRow](t, tb, `Array.from(document.querySelectorAll("table.incidents tbody tr")).map(function (tr) {
		var a = tr.querySelector("td.name a");
		return {Name: tr.querySelector("td.name").innerText, Verdict: tr.querySelector("td.verdict").innerText,
			Err: tr.querySelector("td.err").innerText,
			Href: a ? a.getAttribute("href") : "", URL: a ? a.href : "", Links: tr.querySelectorAll("a").length};
	})`)
}

// linked is what following a row's link showed: the file it names and the page it loaded.
type linked struct {
	File     string // the file the link's URL names
	Location string // the page's URL after the click
	Title    string
	Inputs   []string // a report's input paths (its last table)
}

// follow checks that the link of row i (0-based) of the index open in the tab names a file
// that exists, clicks it as a person would, reads the page it loads, and goes back.
func follow(t *testing.T, tb *tab, i int, r indexRow) linked {
	t.Helper()
	u, err := url.Parse(r.URL)
	if err != nil || u.Scheme != "file" {
		t.Fatalf("row %d: the link %q resolves to %q, not a file URL (%v)", i+1, r.Href, r.URL, err)
	}
	l := linked{File: u.Path}
	if fi, err := os.Stat(l.File); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("row %d: the link %q names %s, which is not a file: %v", i+1, r.Href, l.File, err)
		return l
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	sel := chromedp.CSS(fmt.Sprintf("table.incidents tbody tr:nth-child(%d) td.name a", i+1))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(sel)); err != nil {
		t.Fatalf("row %d: clicking the link %q: %v", i+1, r.Href, err)
	}
	type page struct {
		Location, Title string
		Inputs          []string
	}
	p := eval[page](t, tb, `({Location: location.href, Title: document.title,
		Inputs: Array.from(document.querySelectorAll("section:last-of-type tbody tr td:first-child code")).map(function (c) { return c.textContent; })})`)
	l.Location, l.Title, l.Inputs = p.Location, p.Title, p.Inputs
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatalf("row %d: going back to the index: %v", i+1, err)
	}
	return l
}

// TestBatchIndexInBrowser runs batch -o DIR --report-format html over three incidents (the
// KGTN sample in a folder named "index", whose report must not take the index's name; the
// split-brain sample; one that cannot be read) and opens DIR/index.html in headless chromium:
// a row per incident in order, the broken one without a link; every link names a file that
// exists, and clicking it loads that incident's report (the title is the verdict the row
// shows, the inputs are the incident's files). Then an index of reports whose names have a
// space, '#', '%', '?' and Japanese: each link still reaches its file. No page logs anything,
// raises anything or requests anything but files.
func TestBatchIndexInBrowser(t *testing.T) {
	ctx := browser(t)

	t.Run("batch", func(t *testing.T) {
		dir := t.TempDir()
		kgtn, split, broken := filepath.Join(dir, "in", "index"), filepath.Join(dir, "in", "split brain"), filepath.Join(dir, "in", "broken")
		for from, to := range map[string]string{sample: kgtn, "samples/split-brain": split} {
			if err := copyDir(filepath.Join(repoRoot, from), to); err != nil {
				t.Fatal(err)
			}
		}
		writeDir(t, broken, map[string][]byte{"notes.txt": []byte("nothing from a license server\n")})
		out := filepath.Join(dir, "reports")
		stdout, errOut, code := runAt(t, "batch", "--tz", "Asia/Tokyo", "-o", out, "--report-format", "html", kgtn, split, broken)
		if code != exitFindings || errOut != "" {
			t.Fatalf("exit code %d; stderr:\n%s\nstdout:\n%s", code, errOut, stdout)
		}
		tb := open(t, ctx, filepath.Join(out, "index.html"))
		if title := eval[string](t, tb, `document.title`); title != "lmtriad batch: 3 incidents" {
			t.Errorf("title %q", title)
		}
		if counts := eval[string](t, tb, `document.querySelector(".counts").innerText`); counts != "2 with warning or critical findings, 1 could not be read, 0 inconclusive, 0 ok" {
			t.Errorf("counts %q", counts)
		}
		if n := eval[int](t, tb, `document.querySelectorAll("a").length`); n != 2 {
			t.Errorf("%d links, want one per report (2)", n)
		}
		rows := indexRows(t, tb)
		want := []struct{ name, verdict, href, file string }{
			{kgtn, "CRITICAL failed-rejoin", "index-2.html", "index-2.html"},
			{split, "CRITICAL dual-master", "split_brain.html", "split_brain.html"},
			{broken, "ERROR", "", ""},
		}
		if len(rows) != len(want) {
			t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
		}
		for i, w := range want {
			r := rows[i]
			if r.Name != w.name || r.Verdict != w.verdict || r.Href != w.href {
				t.Errorf("row %d: %q %q link %q, want %q %q link %q", i+1, r.Name, r.Verdict, r.Href, w.name, w.verdict, w.href)
			}
			if w.href == "" {
				if r.Links != 0 || r.Err == "" {
					t.Errorf("row %d (no report): %d links, error %q", i+1, r.Links, r.Err)
				}
				continue
			}
			l := follow(t, tb, i, r)
			if l.File != filepath.Join(out, w.file) {
				t.Errorf("row %d: the link names %s, want %s", i+1, l.File, filepath.Join(out, w.file))
			}
			if l.Location != r.URL || l.Title != "lmtriad report: "+w.verdict {
				t.Errorf("row %d: the click loaded %s titled %q, want %s titled %q", i+1, l.Location, l.Title, r.URL, "lmtriad report: "+w.verdict)
			}
			if len(l.Inputs) == 0 {
				t.Errorf("row %d: the report lists no inputs", i+1)
			}
			for _, in := range l.Inputs {
				if !strings.HasPrefix(in, w.name+string(filepath.Separator)) {
					t.Errorf("row %d: the report reads %s, not a file of %s", i+1, in, w.name)
				}
			}
		}
		tb.clean(t)
	})

	t.Run("escaped links", func(t *testing.T) {
		dir := t.TempDir()
		names := []string{"障害 #1 100%.html", "sub dir/a?b&c.html"}
		var rows []report.IndexRow
		for i, n := range names {
			writeDir(t, dir, map[string][]byte{n: fmt.Appendf(nil, "<!DOCTYPE html><title>report %d</title>", i+1)})
			rows = append(rows, report.IndexRow{Path: n, Report: n, ExitCode: exitError})
		}
		// A file the links must not reach instead: what an unescaped '#' or '?' would name.
		writeDir(t, dir, map[string][]byte{"障害 ": []byte("<title>wrong</title>"), "sub dir/a": []byte("<title>wrong</title>")})
		var b strings.Builder
		if err := report.BatchIndex(&b, rows, report.Options{}); err != nil {
			t.Fatal(err)
		}
		writeDir(t, dir, map[string][]byte{"index.html": []byte(b.String())})
		tb := open(t, ctx, filepath.Join(dir, "index.html"))
		got := indexRows(t, tb)
		if len(got) != len(names) {
			t.Fatalf("%d rows, want %d", len(got), len(names))
		}
		for i, n := range names {
			l := follow(t, tb, i, got[i])
			if l.File != filepath.Join(dir, filepath.FromSlash(n)) || l.Title != fmt.Sprintf("report %d", i+1) {
				t.Errorf("%q: the link %q names %s and loads %q", n, got[i].Href, l.File, l.Title)
			}
		}
		tb.clean(t)
	})
}
