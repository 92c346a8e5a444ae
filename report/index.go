package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
)

// The batch index: markup and inline CSS, no script. Everything it shows comes in through
// actions, so html/template escapes it.
//
//go:embed index.tmpl
var indexTemplate string

// IndexRow is one incident's row in the batch index: what the batch summary shows of it.
type IndexRow struct {
	Path   string // the incident as given (a directory or a bundle)
	Report string // its report, a slash-separated path relative to the index; "" when none was written
	// Start and End are the span its intervals cover; zero when it could not be analysed.
	Start, End time.Time
	Severity   analyze.Severity // the verdict's severity; "" when it could not be analysed
	State      analyze.State    // the verdict's state
	Worst      string           // code of the finding the verdict rests on; "" for none
	// NoMaster is the time no server held master; NoLicenses the time licenses were not served.
	NoMaster, NoLicenses time.Duration
	Servers              []string // servers involved
	ExitCode             int      // the incident's exit code: 0 ok, 1 findings, 2 could not be read, 3 inconclusive
	Err                  string   // why it could not be analysed, or its report not written
}

type indexPage struct {
	Lang      string
	Title     string
	Counts    string
	Rows      []indexRow
	Generated string
}

// indexRow is a row as the page shows it. Name, Start and End are in parts, between which a
// line may break (after each '/' of the name, between a time's date and its clock).
type indexRow struct {
	Name        []string
	Href        string // the link to its report; "" for none
	Class       string // sev-SEVERITY, or sev-none for an incident that could not be analysed
	Badge, Rest string // the verdict: severity (or inconclusive, error) and state
	Start, End  []string
	Worst       string
	NoMaster    string
	NoLicenses  string
	Servers     string
	Exit        string
	Err         string
}

// BatchIndex writes the page that lists a batch's incidents, in the order given: a line that
// counts the outcomes, then a row per incident with its time span, verdict (coloured by
// severity, and named, so that it reads without colour too), worst finding, minutes without a
// master and without licenses, the servers involved, exit code and error, its name linking
// to its report. Like the HTML report, the page is one self-contained file (no script, no
// external reference); every link is relative, each path segment escaped. Times are in
// o.Location, wording in o.Lang.
func BatchIndex(w io.Writer, rows []IndexRow, o Options) error {
	t, err := template.New("index").Funcs(template.FuncMap{"tr": func(key string) string { return o.tr(key) }}).Parse(indexTemplate)
	if err != nil {
		return err
	}
	return t.Execute(w, buildIndex(rows, o))
}

func buildIndex(rows []IndexRow, o Options) *indexPage {
	lang := o.Lang
	if lang == "" {
		lang = "en"
	}
	p := &indexPage{Lang: lang, Generated: o.tr("ui.md.generated", "version", o.Version)}
	title := "ui.index.title"
	if len(rows) == 1 {
		title = "ui.index.title.one"
	}
	p.Title = o.tr(title, "n", len(rows))
	counts := map[int]int{}
	for _, r := range rows {
		counts[r.ExitCode]++
		ir := indexRow{
			Name: strings.SplitAfter(Clean(r.Path), "/"), Href: relativeHref(r.Report),
			Start: []string{"-"}, End: []string{"-"}, Worst: dash(Clean(r.Worst)), NoMaster: "-", NoLicenses: "-",
			Servers: dash(Clean(strings.Join(r.Servers, ", "))), Exit: fmt.Sprint(r.ExitCode), Err: Clean(r.Err),
		}
		switch {
		case r.Severity != "":
			ir.Class = "sev-" + Clean(string(r.Severity))
			ir.Badge = Clean(labelOf(o, "severity."+string(r.Severity), string(r.Severity)))
			ir.Rest = Clean(labelOf(o, "state."+string(r.State), string(r.State)))
			ir.Start, ir.End = timeParts(o.ts(r.Start)), timeParts(o.ts(r.End))
			ir.NoMaster, ir.NoLicenses = minutes(r.NoMaster), minutes(r.NoLicenses)
		case r.ExitCode == 3:
			ir.Class, ir.Badge = "sev-none", o.tr("ui.index.inconclusive")
		default:
			ir.Class, ir.Badge = "sev-none", o.tr("ui.index.error")
		}
		p.Rows = append(p.Rows, ir)
	}
	p.Counts = o.tr("ui.index.counts", "findings", counts[1], "error", counts[2], "inconclusive", counts[3], "ok", counts[0])
	return p
}

// labelOf is a catalogue label, or the value itself when the catalogue has no label for it
// (a severity or state the catalogue does not know shows as it is, not as a key).
func labelOf(o Options, key, value string) string {
	if s := o.tr(key); s != key {
		return s
	}
	return value
}

// relativeHref is the link to a report: a relative reference to the slash-separated path,
// each segment percent-escaped (spaces, '#', '?', '%', non-ASCII), starting with "./" when
// its first segment has a ':' (which would read as a scheme); "" for no report.
func relativeHref(path string) string {
	if path == "" {
		return ""
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	href := strings.Join(segs, "/")
	if strings.Contains(segs[0], ":") {
		href = "./" + href
	}
	return href
}

// timeParts splits an RFC 3339 time before its clock: 2010-12-01, T08:55:10+09:00.
func timeParts(ts string) []string {
	if i := strings.IndexByte(ts, 'T'); i > 0 {
		return []string{ts[:i], ts[i:]}
	}
	return []string{ts}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func minutes(d time.Duration) string { return fmt.Sprintf("%.1f", d.Minutes()) }
