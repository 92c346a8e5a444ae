package catalog_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/analyze"
	lmparser "github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// families are the codes built at run time from a prefix and a value: every value the
// program can put after the prefix.
func families() map[string][]string {
	var events []string
	for k := lmparser.EvNone; ; k++ {
		s := k.String()
		if strings.HasPrefix(s, "EventKind(") {
			break
		}
		events = append(events, s)
	}
	states := []string{}
	for _, s := range []analyze.State{analyze.Unknown, analyze.Starting, analyze.FailedRejoin, analyze.DualMaster,
		analyze.NoQuorum, analyze.Masterless, analyze.Degraded, analyze.Normal} {
		states = append(states, string(s))
	}
	statuses := []string{}
	for _, s := range []analyze.Status{analyze.StatusUnknown, analyze.StatusUp, analyze.StatusJoining, analyze.StatusDown,
		analyze.StatusUnresponsive, analyze.StatusIsolated} {
		statuses = append(statuses, string(s))
	}
	var exits []string
	for n := 1; n <= 20; n++ {
		exits = append(exits, strconv.Itoa(n))
	}
	return map[string][]string{
		"event.":                    events,
		"state.":                    states,
		"explain.":                  states,
		"finding.":                  {"masterless", "no-quorum"}, // outage rules: "finding."+state
		"status.":                   statuses,
		"explain.status.":           statuses,
		"severity.":                 {"ok", "info", "warning", "critical"},
		"exit.":                     exits,
		"ui.role.":                  {"primary", "secondary", "tertiary", "member"},
		"ui.source.":                {"license", "lmstat", "logs"},
		"ui.clock.method.":          {"reference", "estimated", "given", "none"},
		"finding.clock-skew.":       {"ahead", "behind"},
		"ui.pim.":                   {"set", "unset"},
		"ui.lines":                  {"", ".one"},
		"ui.snapshots":              {"", ".one"},
		"ui.events":                 {"", ".one"},
		"finding.failed-rejoin.how": {".joining", ".unresponsive"},
		"finding.planned.":          {"not-back", "failed-rejoin", "unseen"}, // why a stop's spans are not planned
	}
}

// TestEveryCodeHasText: every message code the program can emit has wording in every
// language. The codes are read from the source: string literals given to msg.New and to the
// report's tr helper, and the prefixes of codes built at run time, whose values are listed in
// families (a new prefix fails here until it is listed).
func TestEveryCodeHasText(t *testing.T) {
	root := filepath.Join("..", "..")
	fams := families()
	keys := map[string]string{}     // code -> where
	prefixes := map[string]string{} // prefix -> where
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || name == "samples" || strings.HasPrefix(name, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			arg := codeArg(call.Fun)
			if arg < 0 || arg >= len(call.Args) {
				return true
			}
			where := fset.Position(call.Pos()).String()
			switch a := call.Args[arg].(type) {
			case *ast.BasicLit:
				if a.Kind == token.STRING {
					k, _ := strconv.Unquote(a.Value)
					keys[k] = where
				}
			case *ast.BinaryExpr: // "prefix." + value
				if lit, ok := a.X.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					p, _ := strconv.Unquote(lit.Value)
					prefixes[p] = where
				}
			case *ast.CallExpr: // fmt.Sprintf("exit.%d", n)
				if len(a.Args) > 0 {
					if lit, ok := a.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						p, _ := strconv.Unquote(lit.Value)
						prefixes[strings.TrimSuffix(p, "%d")] = where
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Fatalf("only %d codes found in the source: is the walk right?", len(keys))
	}
	for p, where := range prefixes {
		vals, ok := fams[p]
		if !ok {
			t.Errorf("%s: a code built at run time from %q: list its values in families()", where, p)
			continue
		}
		for _, v := range vals {
			keys[p+v] = where
		}
	}
	var all []string
	for k := range keys {
		all = append(all, k)
	}
	sort.Strings(all)
	for _, k := range all {
		for _, lang := range catalog.Languages {
			if !catalog.Has(lang, k) {
				t.Errorf("%s: code %q has no %s text", keys[k], k, lang)
			}
		}
	}
	t.Logf("%d codes checked in %s", len(all), strings.Join(catalog.Languages, ", "))
}

// codeArg tells which argument of a call is a message code: msg.New(code, ...), the report's
// o.tr(code, ...), catalog.Label(lang, code) and counted(o, code, n); -1 for other calls.
func codeArg(fun ast.Expr) int {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		x, _ := f.X.(*ast.Ident)
		switch {
		case f.Sel.Name == "New" && x != nil && x.Name == "msg", f.Sel.Name == "tr":
			return 0
		case f.Sel.Name == "Label" && x != nil && x.Name == "catalog":
			return 1
		}
	case *ast.Ident:
		if f.Name == "counted" {
			return 1
		}
	}
	return -1
}
