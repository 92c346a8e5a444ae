package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
	"github.com/lmtriad/lmtriad/report"
)

// completionApp returns the kong model of lmtriad's command line (the cli type of cli.go), with
// a completion command added when cli does not have one (yet).
func completionApp(t *testing.T) *kong.Application {
	t.Helper()
	build := func(opts ...kong.Option) *kong.Kong {
		// The variables runWith passes (cli.go): the struct tags use them.
		vars := kong.Vars{
			"version":          "lmtriad " + version,
			"formats":          strings.Join(report.Formats, ","),
			"timeline_formats": strings.Join(report.TimelineFormats, ","),
			"lang":             "en",
			"paths_help":       pathsHelp,
		}
		k, err := kong.New(&cli{}, append([]kong.Option{kong.Name("lmtriad"), vars}, opts...)...)
		if err != nil {
			t.Fatalf("%v (does completionApp pass the kong.Vars runWith does?)", err)
		}
		return k
	}
	if hasCommand(build().Model, "completion") {
		return build().Model
	}
	return build(kong.DynamicCommand("completion", "Print a shell completion script.", "", &completionCmd{})).Model
}

func hasCommand(app *kong.Application, name string) bool {
	for _, c := range app.Children {
		if c.Name == name {
			return true
		}
	}
	return false
}

// synthCLI has what lmtriad's command line does not (yet): nested commands, aliases, hidden
// commands and flags, a counter, a negatable flag, a version flag, DIR values and a directory
// argument, and quotes, brackets and $ in help texts and enum values.
type synthCLI struct {
	Verbose int              `short:"v" type:"counter" help:"More output [repeatable]."`
	Version kong.VersionFlag `help:"Print the version: it's 1.0."`
	Config  string           `short:"c" aliases:"cfg" type:"path" help:"Config file."`
	Secret  string           `hidden:"" help:"Hidden flag."`
	Remote  struct {
		Add struct {
			Name  string `arg:"" help:"Remote name."`
			Dir   string `arg:"" optional:"" type:"existingdir" help:"Its directory."`
			Mode  string `enum:"fast,slow,x y,it's,$HOME" default:"fast" help:"Mode: 'fast' [default]: quick \\ dirty."`
			Cache string `placeholder:"DIR" help:"Cache directory."`
			Color bool   `negatable:"" help:"Colour."`
		} `cmd:"" aliases:"a" help:"Add a remote: name and directory."`
		Drop struct{} `cmd:"" hidden:"" help:"Hidden command."`
	} `cmd:"" help:"Manage remotes."`
	Internal   struct{}      `cmd:"" hidden:"" help:"Hidden command."`
	Help       helpCmd       `cmd:"" help:"Show help."`
	Completion completionCmd `cmd:"" help:"Print a completion script."`
}

func synthApp(t *testing.T, opts ...kong.Option) *kong.Kong {
	t.Helper()
	k, err := kong.New(&synthCLI{}, append([]kong.Option{kong.Name("synth-cli")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// script writes the completion script of app for shell into a temporary file.
func script(t *testing.T, shell string, app *kong.Application) string {
	t.Helper()
	var b bytes.Buffer
	if err := completionScript(&b, shell, app); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), app.Name+"."+shell)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// needShell skips the test when shell is not installed, or fails it when CI is set.
func needShell(t *testing.T, shell string) {
	t.Helper()
	if _, err := exec.LookPath(shell); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (CI is set): %v", shell, err)
		}
		t.Skipf("%s is not installed", shell)
	}
}

// completionDir makes a directory with two files and a subdirectory, for file name completion.
func completionDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"alpha.log", "beta.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shellRun runs a shell command in dir and returns its standard output.
func shellRun(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	home := t.TempDir() // for fish's and zsh's own files, away from the files to complete
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "XDG_CACHE_HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("%s %q wrote to stderr:\n%s", name, args, stderr.String())
	}
	return string(out)
}

// lines returns the lines of out, sorted and without duplicates; with tabs (fish's descriptions),
// only what comes before the first one.
func lines(out string) []string {
	var l []string
	for _, s := range strings.Split(out, "\n") {
		s, _, _ = strings.Cut(s, "\t")
		if s != "" {
			l = append(l, s)
		}
	}
	slices.Sort(l)
	return slices.Compact(l)
}

func sorted(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// files are the names completionDir makes.
var files = []string{"alpha.log", "beta.txt", "sub"}

// commandNames returns the names of the visible top-level commands of app, in its order.
func commandNames(app *kong.Application) []string {
	var names []string
	for _, c := range app.Children {
		if c.Type == kong.CommandNode && !c.Hidden {
			names = append(names, c.Name)
		}
	}
	return names
}

// flagNames returns the spellings (--name, -x) of the visible flags of the top-level command
// cmd of app and of app itself.
func flagNames(app *kong.Application, cmd string) []string {
	var names []string
	for _, n := range app.Children {
		if n.Name != cmd {
			continue
		}
		for _, f := range append(slices.Clone(app.Flags), n.Flags...) {
			if f.Hidden {
				continue
			}
			names = append(names, "--"+f.Name)
			if f.Short != 0 {
				names = append(names, "-"+string(f.Short))
			}
		}
	}
	return names
}

// completionCase is a command line whose last word is being completed, and the candidates.
type completionCase struct {
	words []string
	want  []string
}

// TestCompletionSyntax checks that every script is valid for its shell, for lmtriad's command
// line and for the synthetic one.
func TestCompletionSyntax(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			needShell(t, shell)
			for _, app := range []*kong.Application{completionApp(t), synthApp(t).Model} {
				path := script(t, shell, app)
				shellRun(t, ".", shell, "-n", path)
			}
		})
	}
}

// TestCompletionBash sources the bash script and calls its function as bash's programmable
// completion does (COMP_WORDS and COMP_CWORD), in a directory holding alpha.log, beta.txt and sub/.
func TestCompletionBash(t *testing.T) {
	needShell(t, "bash")
	dir := completionDir(t)
	run := func(t *testing.T, app *kong.Application, fn string, cases []completionCase) {
		path := script(t, "bash", app)
		for _, tc := range cases {
			// The function is called like bash's completion calls it, the cursor on the last word.
			out := shellRun(t, dir, "bash", append([]string{"--norc", "--noprofile", "-c", `source "$1" || exit 9
shift
COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
` + fn + `
status=$?
printf '%s\n' "${COMPREPLY[@]}"
exit $status`, "bash", path}, tc.words...)...)
			if got, want := lines(out), sorted(tc.want...); !slices.Equal(got, want) {
				t.Errorf("%q: got %q, want %q", tc.words, got, want)
			}
		}
	}

	t.Run("lmtriad", func(t *testing.T) {
		app := completionApp(t)
		lmtriadCommands := commandNames(app)
		run(t, app, "_lmtriad", []completionCase{
			{[]string{"lmtriad", "an"}, []string{"analyze"}},
			{[]string{"lmtriad", ""}, lmtriadCommands},
			{[]string{"lmtriad", "--he"}, []string{"--help"}},
			{[]string{"lmtriad", "--vers"}, []string{"--version"}},
			{[]string{"lmtriad", "-V", "ana"}, []string{"analyze"}},
			{[]string{"lmtriad", "analyze", "--vers"}, []string{"--version"}},
			{[]string{"lmtriad", "analyze", "--fo"}, []string{"--format"}},
			{[]string{"lmtriad", "analyze", "--he"}, []string{"--help"}},
			{[]string{"lmtriad", "timeline", "--o"}, []string{"--only", "--output"}},
			{[]string{"lmtriad", "analyze", "--format", ""}, []string{"text", "json", "markdown", "html", "csv"}},
			{[]string{"lmtriad", "analyze", "-f", "j"}, []string{"json"}},
			{[]string{"lmtriad", "batch", "--format", ""}, []string{"table", "jsonl", "csv"}},
			// --lang=: bash splits the words at = (COMP_WORDBREAKS) ...
			{[]string{"lmtriad", "analyze", "--lang", "=", ""}, []string{"en", "ja"}},
			{[]string{"lmtriad", "analyze", "--lang", "=", "j"}, []string{"ja"}},
			// ... unless = was taken out of COMP_WORDBREAKS: then the replies keep --lang=.
			{[]string{"lmtriad", "analyze", "--lang="}, []string{"--lang=en", "--lang=ja"}},
			{[]string{"lmtriad", "analyze", ""}, files},
			{[]string{"lmtriad", "analyze", "a"}, []string{"alpha.log"}},
			{[]string{"lmtriad", "analyze", "alpha.log", "b"}, []string{"beta.txt"}},
			{[]string{"lmtriad", "analyze", "--format", "json", "al"}, []string{"alpha.log"}},
			{[]string{"lmtriad", "analyze", "--format=json", "al"}, []string{"alpha.log"}},
			{[]string{"lmtriad", "analyze", "-o", ""}, files},
			{[]string{"lmtriad", "analyze", "--output", "=", "b"}, []string{"beta.txt"}},
			{[]string{"lmtriad", "batch", "-o", ""}, []string{"sub"}},
			{[]string{"lmtriad", "analyze", "--tz", ""}, nil},
			{[]string{"lmtriad", "analyze", "--", "-"}, nil},
			{[]string{"lmtriad", "analyze", "batch", "--f"}, []string{"--format"}},
			{[]string{"lmtriad", "simulate", "--list", "al"}, []string{"alpha.log"}},
			{[]string{"lmtriad", "simulate", "x", ""}, nil},
			{[]string{"lmtriad", "version", ""}, nil},
			{[]string{"lmtriad", "nonsense", ""}, nil},
			{[]string{"lmtriad", "completion", ""}, []string{"bash", "zsh", "fish"}},
			{[]string{"lmtriad", "completion", "bash", ""}, nil},
			{[]string{"lmtriad", "help", ""}, lmtriadCommands},
			{[]string{"lmtriad", "help", "ba"}, []string{"batch"}},
		})
	})

	t.Run("synthetic", func(t *testing.T) {
		run(t, synthApp(t).Model, "_synth_cli", []completionCase{
			{[]string{"synth-cli", ""}, []string{"remote", "help", "completion"}},
			{[]string{"synth-cli", "-"}, []string{"--help", "-h", "--verbose", "-v", "--version", "--config", "-c", "--cfg"}},
			{[]string{"synth-cli", "--se"}, nil},
			{[]string{"synth-cli", "-v", "-v", "re"}, []string{"remote"}},
			{[]string{"synth-cli", "--config", "remote", ""}, []string{"remote", "help", "completion"}},
			{[]string{"synth-cli", "--cfg", "a"}, []string{"alpha.log"}},
			{[]string{"synth-cli", "-c", ""}, files},
			{[]string{"synth-cli", "remote", ""}, []string{"add"}},
			{[]string{"synth-cli", "remote", "a", ""}, files},
			{[]string{"synth-cli", "remote", "add", "origin", ""}, []string{"sub"}},
			{[]string{"synth-cli", "remote", "add", "origin", "sub", ""}, nil},
			{[]string{"synth-cli", "remote", "a", "--mode", ""}, []string{"fast", "slow", "x y", "it's", "$HOME"}},
			{[]string{"synth-cli", "remote", "add", "--no"}, []string{"--no-color"}},
			{[]string{"synth-cli", "remote", "add", "--vers"}, []string{"--version"}},
			{[]string{"synth-cli", "remote", "add", "--cache", ""}, []string{"sub"}},
			{[]string{"synth-cli", "internal", ""}, nil},
		})
	})
}

// TestCompletionFish asks fish for the completions of command lines (complete -C) with the
// script loaded.
func TestCompletionFish(t *testing.T) {
	needShell(t, "fish")
	dir := completionDir(t)
	run := func(t *testing.T, app *kong.Application, cases []completionCase) {
		path := script(t, "fish", app)
		for _, tc := range cases {
			line := strings.Join(tc.words, " ")
			out := shellRun(t, dir, "fish", "--no-config", "-c", `source $argv[1]; and complete -C $argv[2]`, path, line)
			if got, want := lines(out), sorted(tc.want...); !slices.Equal(got, want) {
				t.Errorf("%q: got %q, want %q", line, got, want)
			}
		}
	}
	filesDir := []string{"alpha.log", "beta.txt", "sub/"}
	t.Run("lmtriad", func(t *testing.T) {
		app := completionApp(t)
		lmtriadCommands := commandNames(app)
		run(t, app, []completionCase{
			{[]string{"lmtriad", "an"}, []string{"analyze"}},
			{[]string{"lmtriad", ""}, lmtriadCommands},
			{[]string{"lmtriad", "analyze", "--fo"}, []string{"--format"}},
			{[]string{"lmtriad", "analyze", "--format", ""}, []string{"text", "json", "markdown", "html", "csv"}},
			{[]string{"lmtriad", "analyze", "--lang="}, []string{"--lang=en", "--lang=ja"}},
			{[]string{"lmtriad", "analyze", ""}, filesDir},
			{[]string{"lmtriad", "analyze", "--format", "json", "al"}, []string{"alpha.log"}},
			{[]string{"lmtriad", "analyze", "-o", ""}, filesDir},
			{[]string{"lmtriad", "batch", "-o", ""}, []string{"sub/"}},
			{[]string{"lmtriad", "analyze", "--tz", ""}, nil},
			{[]string{"lmtriad", "analyze", "batch", "--f"}, []string{"--format"}},
			{[]string{"lmtriad", "simulate", "x", ""}, nil},
			{[]string{"lmtriad", "completion", ""}, []string{"bash", "zsh", "fish"}},
			{[]string{"lmtriad", "help", "ba"}, []string{"batch"}},
		})
	})
	t.Run("synthetic", func(t *testing.T) {
		run(t, synthApp(t).Model, []completionCase{
			{[]string{"synth-cli", ""}, []string{"remote", "help", "completion"}},
			{[]string{"synth-cli", "--config", "remote", ""}, []string{"remote", "help", "completion"}},
			{[]string{"synth-cli", "remote", ""}, []string{"add"}},
			{[]string{"synth-cli", "remote", "a", "--mode", ""}, []string{"fast", "slow", "x y", "it's", "$HOME"}},
			{[]string{"synth-cli", "remote", "add", "origin", ""}, []string{"sub/"}},
			{[]string{"synth-cli", "remote", "add", "--no"}, []string{"--no-color"}},
			{[]string{"synth-cli", "remote", "add", "--vers"}, []string{"--version"}},
		})
	})
}

// zshInit prepares the interactive zsh of zshCapture: completion on; a compadd that also prints
// every candidate it adds (as words, not quoted for the command line), one a line; and, once
// completion has found them, a line __DONE__ instead of inserting or listing them.
const zshInit = `PROMPT=
autoload -U compinit
compinit -u -D
zstyle ':completion:*' insert-tab false
__done() {
	compstate[insert]=
	compstate[list]=
	print -r "__DONE__"
}
precmd() { comppostfuncs=(__done) } # zsh empties comppostfuncs after each completion
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a hits
	local h
	builtin compadd -O hits "$@"
	for h in $hits; do
		print -r -- "__CAND__$h"
	done
	builtin compadd "$@"
}
`

// zshCapture drives an interactive zsh in a pseudo-terminal (zsh/zpty). It loads zshInit and
// the completion script, then for each command line prints __CASE__, types the line and Tab,
// prints the candidates, clears the line and starts a new one. Arguments: the files of zshInit
// and of the script, then the command lines.
const zshCapture = `zmodload zsh/zpty || exit 9
zpty z zsh -f -i
zpty -w z "source ${(q)1}; source ${(q)2}; print -r __REA''DY__"
shift 2
local line part cmdline
while zpty -r z line; do
	[[ $line == *__READY__* ]] && break
done
for cmdline; do
	print -r __CASE__
	zpty -w -n z "$cmdline"$'\t'
	while zpty -r z line; do
		for part in "${(@ps:\r:)line}"; do
			[[ $part == *__DONE__* ]] && break 2
			[[ $part == *__CAND__* ]] && print -r -- ${part#*__CAND__}
		done
	done
	zpty -w z $'\C-u' # clear the line, and a new prompt
done
zpty -d z
`

// TestCompletionZsh types command lines into an interactive zsh with the script loaded and
// collects what Tab offers.
func TestCompletionZsh(t *testing.T) {
	needShell(t, "zsh")
	dir := completionDir(t)
	tmp := t.TempDir()
	capture, init := filepath.Join(tmp, "capture.zsh"), filepath.Join(tmp, "init.zsh")
	if err := os.WriteFile(capture, []byte(zshCapture), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(init, []byte(zshInit), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, app *kong.Application, cases []completionCase) {
		args := []string{"-f", capture, init, script(t, "zsh", app)}
		for _, tc := range cases {
			args = append(args, strings.Join(tc.words, " "))
		}
		out := strings.Split(shellRun(t, dir, "zsh", args...), "__CASE__\n")[1:]
		if len(out) != len(cases) {
			t.Fatalf("zsh answered %d command lines of %d:\n%s", len(out), len(cases), strings.Join(out, "__CASE__\n"))
		}
		for i, tc := range cases {
			if got, want := lines(out[i]), sorted(tc.want...); !slices.Equal(got, want) {
				t.Errorf("%q: got %q, want %q", strings.Join(tc.words, " "), got, want)
			}
		}
	}
	t.Run("lmtriad", func(t *testing.T) {
		app := completionApp(t)
		lmtriadCommands := commandNames(app)
		run(t, app, []completionCase{
			{[]string{"lmtriad", "an"}, []string{"analyze"}},
			{[]string{"lmtriad", ""}, lmtriadCommands},
			{[]string{"lmtriad", "analyze", "--fo"}, []string{"--format"}},
			{[]string{"lmtriad", "analyze", "--format", ""}, []string{"text", "json", "markdown", "html", "csv"}},
			{[]string{"lmtriad", "analyze", "--lang="}, []string{"en", "ja"}},
			{[]string{"lmtriad", "analyze", ""}, files},
			{[]string{"lmtriad", "analyze", "--format", "json", "al"}, []string{"alpha.log"}},
			{[]string{"lmtriad", "analyze", "-o", ""}, files},
			{[]string{"lmtriad", "batch", "-o", ""}, []string{"sub"}},
			{[]string{"lmtriad", "analyze", "--tz", ""}, nil},
			{[]string{"lmtriad", "analyze", "batch", "--f"}, []string{"--format"}},
			// With no argument left, _arguments offers the flags.
			{[]string{"lmtriad", "simulate", "x", ""}, flagNames(app, "simulate")},
			{[]string{"lmtriad", "completion", ""}, []string{"bash", "zsh", "fish"}},
			{[]string{"lmtriad", "help", "ba"}, []string{"batch"}},
		})
	})
	t.Run("synthetic", func(t *testing.T) {
		run(t, synthApp(t).Model, []completionCase{
			{[]string{"synth-cli", ""}, []string{"remote", "help", "completion"}},
			{[]string{"synth-cli", "-v", "-v", "re"}, []string{"remote"}},
			{[]string{"synth-cli", "--config", "remote", ""}, []string{"remote", "help", "completion"}},
			{[]string{"synth-cli", "remote", ""}, []string{"add"}},
			{[]string{"synth-cli", "remote", "a", "--mode", ""}, []string{"fast", "slow", "x y", "it's", "$HOME"}},
			{[]string{"synth-cli", "remote", "add", "origin", ""}, []string{"sub"}},
			{[]string{"synth-cli", "remote", "add", "--no"}, []string{"--no-color"}},
			{[]string{"synth-cli", "remote", "add", "--vers"}, []string{"--version"}},
		})
	})
}

// TestCompletionNames checks, without running a shell, that the zsh and fish scripts name every
// visible command and flag of the model, and no hidden one.
func TestCompletionNames(t *testing.T) {
	for _, app := range []*kong.Application{completionApp(t), synthApp(t).Model} {
		var zsh, fish bytes.Buffer
		if err := completionScript(&zsh, "zsh", app); err != nil {
			t.Fatal(err)
		}
		if err := completionScript(&fish, "fish", app); err != nil {
			t.Fatal(err)
		}
		check := func(what string, visible bool, zshForms, fishForms []string) {
			t.Helper()
			for _, s := range []struct {
				name, script string
				forms        []string
			}{{"zsh", zsh.String(), zshForms}, {"fish", fish.String(), fishForms}} {
				found := false
				for _, f := range s.forms {
					found = found || strings.Contains(s.script, f)
				}
				if found != visible {
					t.Errorf("%s script for %s: %s: found %v, want %v (looked for %q)", s.name, app.Name, what, found, visible, s.forms)
				}
			}
		}
		var visit func(n *kong.Node, hidden bool)
		visit = func(n *kong.Node, hidden bool) {
			hidden = hidden || n.Hidden
			if n.Type == kong.CommandNode {
				check("command "+n.Name, !hidden, []string{"\t'" + n.Name + ":"}, []string{" -a " + n.Name + " "})
			}
			for _, f := range n.Flags {
				check("flag --"+f.Name, !hidden && !f.Hidden, []string{")--" + f.Name + "[", ")--" + f.Name + "=[", "*--" + f.Name + "[", "*--" + f.Name + "=["}, []string{" -l " + f.Name + " "})
				if f.Short != 0 {
					check("flag -"+string(f.Short), !hidden && !f.Hidden, []string{")-" + string(f.Short) + "[", ")-" + string(f.Short) + "+[", "*-" + string(f.Short) + "[", "*-" + string(f.Short) + "+["},
						[]string{" -s " + string(f.Short) + " "})
				}
			}
			for _, c := range n.Children {
				visit(c, hidden)
			}
		}
		visit(app.Node, false)
	}
}

// TestCompletionCommand runs "completion SHELL" through kong, as lmtriad will once the command is
// registered: Run writes the script of the model it belongs to.
func TestCompletionCommand(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		var out bytes.Buffer
		k := synthApp(t, kong.Writers(&out, &out))
		kctx, err := k.Parse([]string{"completion", shell})
		if err != nil {
			t.Fatal(err)
		}
		if err := kctx.Run(); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := completionScript(&want, shell, k.Model); err != nil {
			t.Fatal(err)
		}
		if out.String() != want.String() {
			t.Errorf("completion %s printed:\n%s\nwant:\n%s", shell, out.String(), want.String())
		}
	}

	k := synthApp(t)
	if _, err := k.Parse([]string{"completion", "tcsh"}); err == nil || !strings.Contains(err.Error(), `"bash","zsh","fish"`) {
		t.Errorf("completion tcsh: error %v, want one that lists the shells", err)
	}
	if err := completionScript(&bytes.Buffer{}, "tcsh", k.Model); err == nil || !strings.Contains(err.Error(), `"tcsh"`) {
		t.Errorf(`completionScript(tcsh): error %v, want one naming "tcsh"`, err)
	}
}

// TestCompletionDeterministic checks that the same model gives the same script, and that the
// scripts offer the commands in the model's order.
func TestCompletionDeterministic(t *testing.T) {
	app := completionApp(t)
	names := commandNames(app)
	for _, shell := range []string{"bash", "zsh", "fish"} {
		var a, b bytes.Buffer
		if err := completionScript(&a, shell, app); err != nil {
			t.Fatal(err)
		}
		if err := completionScript(&b, shell, completionApp(t)); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s: two scripts from the same model differ", shell)
		}
		s := a.String()
		if shell == "bash" {
			if want := "\t\tcmds=(" + strings.Join(names, " ") + ")\n"; !strings.Contains(s, want) {
				t.Errorf("bash: no line %q", want)
			}
			continue
		}
		last := -1
		for _, c := range names {
			form := map[string]string{"zsh": "\t'" + c + ":", "fish": " -a " + c + " "}[shell]
			i := strings.Index(s, form)
			if i <= last {
				t.Errorf("%s: command %s is not after the one above it in the model", shell, c)
			}
			last = i
		}
	}
}
