package parser

import (
	"archive/tar"
	"errors"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// en renders a message in English through the catalogue, as the commands show it: the tests
// that check what a message says read its wording there.
func en(t msg.Text) string { return catalog.English(t) }

func reasonOf(_ Kind, r msg.Text) msg.Text { return r }

// parserMessages is every message the parser can emit, each made once: by the function that
// makes it where there is one, else by the same msg.New call as in the source, with arguments
// of the types the source gives.
func parserMessages() []msg.Text {
	o := Options{Now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	jst := time.FixedZone("JST", 9*3600)
	newest := time.Date(2010, 12, 1, 9, 0, 59, 0, jst)
	denied := &fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}
	missing := &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}
	broken := errors.New("input/output error")
	out := []msg.Text{
		// What a file is, or is not (Detect).
		reasonBinary(), reasonOnlyNUL(), reasonEmpty(),
		reasonOf(detect([]byte("Some prose about the incident.\n"), EncodingUTF8)),
		// Debug logs without dates.
		msg.New("reason.no-plausible-date"), msg.New("reason.no-date"),
		// Files in folders and archives that are not read.
		notRegularReason(fs.ModeDir), notRegularReason(fs.ModeSymlink), notRegularReason(fs.ModeNamedPipe),
		notRegularReason(fs.ModeSocket), notRegularReason(fs.ModeDevice | fs.ModeCharDevice),
		notRegularReason(fs.ModeDevice), notRegularReason(fs.ModeIrregular),
		unreadableReason(denied, false), unreadableReason(denied, true),
		unreadableReason(broken, false), unreadableReason(missing, true),
		unreadableReason(&notRegular{fs.ModeNamedPipe}, false),
		msg.New("reason.symlink-broken", "err", describe(missing)),
		msg.New("reason.symlink-folder"),
		msg.New("reason.symlink-not-regular", "what", fileType(fs.ModeSocket)),
		reasonEmptyArchive(),
		msg.New("reason.archive-too-deep"),
		entryModeReason(fs.ModeSymlink), entryModeReason(fs.ModeNamedPipe),
		tarTypeReason(tar.TypeSymlink), tarTypeReason(tar.TypeLink), tarTypeReason(tar.TypeChar),
		tarTypeReason(tar.TypeBlock), tarTypeReason(tar.TypeFifo), tarTypeReason(tar.TypeGNUSparse),
		tarTypeReason('K'),
		msg.New("reason.zip-encrypted"),
		msg.New("reason.zip-method", "method", 99),
		notArchiveReason("zip", reasonEmpty()), notArchiveReason("zip", reasonBinary()),
		notArchiveReason("tar", reasonBinary()), notArchiveReason("gzip", reasonBinary()),
		msg.New("reason.same-content", "as", msg.Raw("srv-a/license.lic")),
		// Line warnings.
		msg.New("warn.line.no-envelope", "text", excerpt([]byte("garbage here"))),
		msg.New("warn.line.not-lmstat", "text", excerpt([]byte("garbage here"))),
		msg.New("warn.line.lmstat-no-date", "text", excerpt([]byte("Flexible License Manager status on Wed 13/45/2010 25:00"))),
		msg.New("warn.line.not-license", "text", excerpt([]byte("SERVR server1 17003456 27001"))),
		msg.New("warn.line.cut"), nulMessage(1), nulMessage(3),
		o.implausible(time.Date(1970, 1, 1, 9, 0, 0, 0, jst), "1/1/1970"),
		o.implausible(time.Date(2038, 1, 19, 9, 0, 0, 0, jst), ""),
		msg.New("warn.line.date-ahead", "date", msg.Raw("12/1/2025"), "reached", msg.Raw("2010-12-01"), "line", 42, "back", msg.Raw("12/1")),
		msg.New("warn.line.run-ahead", "date", time.Date(2025, 12, 1, 9, 0, 59, 0, jst), "newest", newest, "line", 42, "back", newest.Add(time.Minute)),
		msg.New("warn.line.no-plausible-date"), msg.New("warn.line.no-date"), msg.New("warn.line.dst-ambiguous"),
		// Errors about paths given on the command line.
		msg.New("error.check-path", "err", describe(missing)),
		msg.New("error.give-path", "reason", notRegularReason(fs.ModeNamedPipe)),
		msg.New("error.give-input", "reason", reasonEmpty()),
		msg.New("error.give-file", "reason", notRegularReason(fs.ModeDevice|fs.ModeCharDevice)),
		nothingIn(true, 0), nothingIn(true, 1), nothingIn(false, 1), nothingIn(false, 10),
		advised(unreadableReason(denied, true), denied), advised(unreadableReason(broken, false), broken),
		describe(denied), describe(broken),
		msg.New("error.os.other", "text", msg.Raw("unknown encoding \"latin9\"")),
		msg.New("error.too-many-entries", "max", DefaultMaxEntries),
		msg.New("error.too-big", "size", msg.Raw(byteSize(DefaultMaxBytes))),
		msg.New("error.ratio", "ratio", maxRatio),
		msg.New("error.damaged-archive", "format", msg.Raw("zip"), "err", msg.Raw("zip: not a valid zip file")),
		msg.New("error.nested-zip-too-big", "size", msg.Raw(byteSize(maxNestedZip))),
		spoolError("outer.tar!in.zip", broken).(*PathError).Msg,
	}
	return out
}

// keysIn lists the codes of t and of the texts nested in it.
func keysIn(t msg.Text, into map[string]bool) {
	into[t.Key] = true
	for _, v := range t.Args {
		if u, ok := v.(msg.Text); ok {
			keysIn(u, into)
		}
	}
	for _, u := range t.Then {
		keysIn(u, into)
	}
}

// TestMessagesRender renders every message code the parser emits once, in English and in
// Japanese: each has its own wording in both (no language falls back to English), and no
// rendering shows a code or an unfilled placeholder. The codes are checked against the
// literals given to msg.New in the parser's source, so that a new message fails here until it
// is in the table.
func TestMessagesRender(t *testing.T) {
	used := map[string]bool{}
	for _, m := range parserMessages() {
		keys := map[string]bool{}
		keysIn(m, keys)
		for k := range keys {
			used[k] = true
			for _, lang := range catalog.Languages {
				if !catalog.Has(lang, k) {
					t.Errorf("%s: no %s text", k, lang)
				}
			}
		}
		texts := map[string]string{}
		for _, lang := range catalog.Languages {
			s := catalog.In(lang, m)
			texts[lang] = s
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s %v: empty", lang, m)
			}
			for k := range keys {
				if strings.Contains(s, k) {
					t.Errorf("%s %v: shows the code %s: %q", lang, m, k, s)
				}
			}
			for _, prefix := range []string{"reason.", "warn.", "error.", "filetype."} {
				if strings.Contains(s, prefix) {
					t.Errorf("%s %v: shows a code: %q", lang, m, s)
				}
			}
			if i := strings.IndexByte(s, '{'); i >= 0 && strings.IndexByte(s[i:], '}') > 0 {
				t.Errorf("%s %v: a placeholder left: %q", lang, m, s)
			}
		}
		if texts["ja"] == texts["en"] && m.Key != "error.os.other" {
			t.Errorf("%v: the Japanese is the English: %q", m, texts["en"])
		}
	}

	// Every code in the parser's source is in the table.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var missing []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := goparser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "New" {
				return true
			}
			if x, _ := sel.X.(*ast.Ident); x == nil || x.Name != "msg" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: a code that is not a literal", fset.Position(call.Pos()))
				return true
			}
			k, _ := strconv.Unquote(lit.Value)
			if !used[k] {
				missing = append(missing, fset.Position(call.Pos()).String()+": "+k)
			}
			return true
		})
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s: not rendered by this test: add it to parserMessages", m)
	}
	if len(used) < 60 {
		t.Errorf("only %d codes rendered", len(used))
	}
}
