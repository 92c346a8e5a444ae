package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/kong"
)

// completionCmd is "lmtriad completion SHELL": it prints a completion script for the shell.
type completionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"The shell: bash, zsh or fish."`
}

// Help is the longer text of "lmtriad completion --help".
func (c *completionCmd) Help() string {
	return `Print a script that makes the shell complete lmtriad's commands, their flags, the values of flags
that take one of a few words (--format, --lang, --color, ...) and file names. The script is made
from this lmtriad's commands and flags: print it again after an upgrade.

bash: load it into the running shell, or into every new one from ~/.bashrc:

    source <(lmtriad completion bash)

or install it for the bash-completion package:

    lmtriad completion bash > ~/.local/share/bash-completion/completions/lmtriad

zsh: after compinit (in ~/.zshrc: autoload -U compinit && compinit), load it with

    source <(lmtriad completion zsh)

or install it as _lmtriad in a directory of $fpath, e.g. with fpath=(~/.zfunc $fpath) in ~/.zshrc
before compinit:

    mkdir -p ~/.zfunc && lmtriad completion zsh > ~/.zfunc/_lmtriad

fish:

    lmtriad completion fish > ~/.config/fish/completions/lmtriad.fish`
}

// Run prints the script.
func (c *completionCmd) Run(ctx *kong.Context) error {
	return completionScript(ctx.Stdout, c.Shell, ctx.Model)
}

// completionScript writes a completion script for shell ("bash", "zsh" or "fish") that completes
// what app, a kong model, accepts: its visible commands, their flags (with the flags of the
// commands above them), the values of flags that have an enum, file names for flags whose
// placeholder is FILE or PATH, directory names for DIR, and file names for positional arguments,
// or their enum values. A top-level "help" command completes command names. The script is static
// and follows the model's order, so the same model always gives the same script.
func completionScript(w io.Writer, shell string, app *kong.Application) error {
	root := compTree(app)
	var b strings.Builder
	switch shell {
	case "bash":
		writeBash(&b, root)
	case "zsh":
		writeZsh(&b, root)
	case "fish":
		writeFish(&b, root)
	default:
		return fmt.Errorf("completion: no script for shell %q (bash, zsh or fish)", shell)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// A compNode is a command as the completion scripts see it.
type compNode struct {
	path  []string // the program's name, then the command names down to this one
	names []string // its name and aliases
	help  string
	flags []compFlag  // its visible flags after its parents', which kong also accepts here
	args  []compValue // its positional arguments, in order
	cmds  []*compNode // its visible subcommands
}

// A compFlag is a flag as the completion scripts see it.
type compFlag struct {
	long   []string // "--format" and long aliases
	short  []string // "-f" and one-letter aliases
	neg    string   // "--no-name" (or the negation given) of a negatable flag
	help   string
	takes  bool // whether it takes a value
	repeat bool // whether it may be given more than once
	value  compValue
}

// A compValue says how to complete a flag's value or a positional argument.
type compValue struct {
	name     string // the placeholder or argument name
	help     string
	kind     compKind
	words    []string // the choices, for compWords
	repeat   bool     // a positional argument that takes every word left
	optional bool     // a positional argument that may be left out
}

// A compKind is what a value completes to.
type compKind int

const (
	compNothing compKind = iota // nothing: any text
	compWords                   // one of a list of words
	compFiles                   // file and directory names
	compDirs                    // directory names
)

// all returns every spelling of the flag: long names, short ones and the negation.
func (f compFlag) all() []string {
	out := append(append([]string{}, f.long...), f.short...)
	if f.neg != "" {
		out = append(out, f.neg)
	}
	return out
}

// valued returns the spellings of the flag that take a value (all but the negation).
func (f compFlag) valued() []string {
	return append(append([]string{}, f.long...), f.short...)
}

// id is the name of the command in the scripts' tables: its path joined by slashes.
func (n *compNode) id() string { return strings.Join(n.path, "/") }

// walk calls fn on n and the commands under it, parents first, in the model's order.
func (n *compNode) walk(fn func(*compNode)) {
	fn(n)
	for _, c := range n.cmds {
		c.walk(fn)
	}
}

// compTree turns kong's model into the completion scripts' view of it.
func compTree(app *kong.Application) *compNode {
	var top []string
	for _, c := range app.Children {
		if c.Type == kong.CommandNode && !c.Hidden {
			top = append(top, c.Name)
		}
	}
	return compCommand(app.Node, []string{app.Name}, nil, top)
}

// compCommand converts the command n, whose path is path and whose parents have the flags
// inherited; top are the names of the top-level commands, which "help" completes.
func compCommand(n *kong.Node, path []string, inherited []compFlag, top []string) *compNode {
	c := &compNode{path: path, names: append([]string{n.Name}, n.Aliases...), help: firstLine(n.Help)}
	c.flags = append([]compFlag{}, inherited...)
	for _, f := range n.Flags {
		if !f.Hidden {
			c.flags = append(c.flags, compFlagOf(f))
		}
	}
	isHelp := n.Type == kong.CommandNode && len(path) == 2 && n.Name == "help"
	for _, p := range n.Positional {
		v := compValue{name: p.Name, help: firstLine(p.Help), repeat: p.IsCumulative(), optional: !p.Required}
		switch {
		case isHelp:
			v.kind, v.words = compWords, top
		case p.Enum != "":
			v.kind, v.words = compWords, enumWords(p.Enum)
		case p.Tag.Type == "existingdir":
			v.kind = compDirs
		default: // the commands take paths
			v.kind = compFiles
		}
		c.args = append(c.args, v)
	}
	for _, child := range n.Children {
		if child.Type == kong.CommandNode && !child.Hidden {
			c.cmds = append(c.cmds, compCommand(child, append(append([]string{}, path...), child.Name), c.flags, top))
		}
	}
	return c
}

// compFlagOf converts a flag of kong's model.
func compFlagOf(f *kong.Flag) compFlag {
	cf := compFlag{long: []string{"--" + f.Name}, help: firstLine(f.Help), repeat: f.IsCumulative() || f.IsCounter()}
	if f.Short != 0 {
		cf.short = append(cf.short, "-"+string(f.Short))
	}
	for _, a := range f.Aliases {
		if len([]rune(a)) == 1 {
			cf.short = append(cf.short, "-"+a)
		} else {
			cf.long = append(cf.long, "--"+a)
		}
	}
	switch f.Tag.Negatable {
	case "":
	case "_": // kong's mark for the default negation
		cf.neg = "--no-" + f.Name
	default:
		cf.neg = "--" + f.Tag.Negatable
	}
	if f.IsBool() || f.IsCounter() {
		return cf
	}
	cf.takes = true
	cf.value = compValue{name: f.PlaceHolder, help: cf.help}
	if cf.value.name == "" {
		cf.value.name = f.Name
	}
	switch {
	case f.Enum != "":
		cf.value.kind, cf.value.words = compWords, enumWords(f.Enum)
	case f.PlaceHolder == "DIR" || f.Tag.Type == "existingdir":
		cf.value.kind = compDirs
	case f.PlaceHolder == "FILE" || f.PlaceHolder == "PATH" ||
		f.Tag.Type == "path" || f.Tag.Type == "existingfile" || f.Tag.Type == "filecontent":
		cf.value.kind = compFiles
	}
	return cf
}

// enumWords returns the values of a kong enum, without the empty one (the "not given" of a
// flag like --lang, which nobody types).
func enumWords(enum string) []string {
	var out []string
	for _, v := range strings.Split(enum, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// firstLine returns the first line of a help text, for the scripts' descriptions.
func firstLine(help string) string {
	help, _, _ = strings.Cut(strings.TrimSpace(help), "\n")
	return strings.TrimSpace(help)
}

// ident turns s into a shell function name part: letters, digits and underscores.
func ident(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}

// safeWord tells whether s can go into a bash, zsh or fish script unquoted.
func safeWord(s string) bool {
	if s == "" || s[0] == '=' { // zsh expands =word to a command's path
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./,:=+@", r)) {
			return false
		}
	}
	return true
}

// shQuote quotes s for bash and zsh, when it needs quotes.
func shQuote(s string) string {
	if safeWord(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shQuoteAll quotes each of words with shQuote and joins them with spaces.
func shQuoteAll(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = shQuote(w)
	}
	return strings.Join(q, " ")
}

// nargs returns how many positional arguments come before the command's subcommands, or -1 when
// the last one takes every word left.
func (n *compNode) nargs() int {
	for _, a := range n.args {
		if a.repeat {
			return -1
		}
	}
	return len(n.args)
}

// bashHelpers are the fixed functions of the bash script. @f@ stands for the name of the program
// as a function name, @root@ for the top of the command tables.
const bashHelpers = `
# __@f@_add CUR WORD... offers each WORD that starts with CUR.
__@f@_add() {
	local cur=$1 w
	shift
	for w; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$prefix$w")
	done
	return 0
}

# __@f@_files CUR [-d] offers the file and directory names that start with CUR (with -d, the
# directory names).
__@f@_files() {
	local f
	compopt -o filenames 2>/dev/null
	while IFS= read -r f; do
		COMPREPLY+=("$prefix$f")
	done < <(compgen "${2:--f}" -- "$1")
	return 0
}

# _@f@ completes the word at COMP_CWORD. It reads the words before it as kong does, to learn
# the command and whether the word is a flag, the value of a flag, a subcommand or a positional
# argument.
_@f@() {
	local cur prefix= flag= cmd=@root@ child n=0 end= i w last
	local -a words=() cmds=() flags=()
	local vflags= nargs=0
	COMPREPLY=()

	# Bash splits --flag=value into --flag, = and value (= is in COMP_WORDBREAKS): join them.
	for ((i = 1; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		last=$((${#words[@]} - 1))
		if ((last >= 0)) && [[ ($w == = && ${words[last]} == --* && ${words[last]} != *=*) || (${COMP_WORDS[i - 1]} == = && ${words[last]} == --*=) ]]; then
			words[last]+=$w
		else
			words+=("$w")
		fi
	done
	last=$((${#words[@]} - 1))
	cur=${words[last]}

	__@f@_cmd "$cmd"
	for ((i = 0; i < last; i++)); do
		w=${words[i]}
		if [[ -z $end ]]; then
			case $w in
			--)
				end=1
				continue
				;;
			--*=*)
				continue
				;;
			-?*)
				if [[ $vflags == *" $w "* ]]; then # the next word is its value
					if ((i + 1 == last)); then
						flag=$w
						break
					fi
					i=$((i + 1))
				fi
				continue
				;;
			esac
		fi
		if ((n == nargs)) && __@f@_child "$cmd" "$w"; then
			cmd=$child n=0
			__@f@_cmd "$cmd"
		else
			n=$((n + 1))
		fi
	done

	if [[ -n $flag ]]; then
		__@f@_value "$cmd" "$flag" "$cur"
	elif [[ -z $end && $cur == --*=* ]]; then
		flag=${cur%%=*}
		# Unsplit (= not in COMP_WORDBREAKS), the replies replace the whole --flag=value.
		[[ ${COMP_WORDS[COMP_CWORD]} == "$cur" ]] && prefix=$flag=
		__@f@_value "$cmd" "$flag" "${cur#*=}"
	elif [[ -z $end && $cur == -* ]]; then
		__@f@_add "$cur" "${flags[@]}"
	else
		((n == nargs)) && __@f@_add "$cur" "${cmds[@]}"
		__@f@_arg "$cmd" "$n" "$cur"
	fi
	return 0
}
`

// writeBash writes the bash script: the commands as tables in case statements, and the fixed
// functions that read the command line.
func writeBash(b *strings.Builder, root *compNode) {
	name, f := root.path[0], ident(root.path[0])
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# bash completion for %[1]s, generated by \"%[1]s completion bash\".\n", name)
	p("#\n# Load it into the running shell with\n#     source <(%[1]s completion bash)\n", name)
	p("# or install it for the bash-completion package:\n")
	p("#     %[1]s completion bash > ~/.local/share/bash-completion/completions/%[1]s\n\n", name)

	p("# __%s_cmd CMD sets what the command CMD (its path, %s for the program) takes: cmds, its\n", f, root.id())
	p("# subcommands; flags, its flags and its parents'; vflags, those of them that take a value,\n")
	p("# between spaces; nargs, how many positional arguments come before the subcommands (-1: any\n")
	p("# number, and no subcommands).\n")
	p("__%s_cmd() {\n\tcase $1 in\n", f)
	root.walk(func(n *compNode) {
		var names, all, valued []string
		for _, c := range n.cmds {
			names = append(names, c.names[0])
		}
		for _, fl := range n.flags {
			all = append(all, fl.all()...)
			if fl.takes {
				valued = append(valued, fl.valued()...)
			}
		}
		p("\t%s)\n", shQuote(n.id()))
		p("\t\tcmds=(%s)\n", shQuoteAll(names))
		p("\t\tflags=(%s)\n", shQuoteAll(all))
		p("\t\tvflags=%s\n", shQuote(" "+strings.Join(valued, " ")+" "))
		p("\t\tnargs=%d\n\t\t;;\n", n.nargs())
	})
	p("\tesac\n}\n\n")

	p("# __%s_child CMD WORD sets child to the path of the subcommand WORD of CMD, or fails.\n", f)
	p("__%s_child() {\n\tcase $1/$2 in\n", f)
	root.walk(func(n *compNode) {
		for _, c := range n.cmds {
			var pats []string
			for _, a := range c.names {
				pats = append(pats, shQuote(n.id()+"/"+a))
			}
			p("\t%s) child=%s ;;\n", strings.Join(pats, " | "), shQuote(c.id()))
		}
	})
	p("\t*) return 1 ;;\n\tesac\n}\n\n")

	action := func(v compValue) string {
		switch v.kind {
		case compWords:
			return fmt.Sprintf(`__%s_add "$3" %s`, f, shQuoteAll(v.words))
		case compFiles:
			return fmt.Sprintf(`__%s_files "$3"`, f)
		case compDirs:
			return fmt.Sprintf(`__%s_files "$3" -d`, f)
		}
		return ""
	}
	p("# __%s_value CMD FLAG CUR offers the values of the flag FLAG of CMD that start with CUR.\n", f)
	p("__%s_value() {\n\tcase $1/$2 in\n", f)
	root.walk(func(n *compNode) {
		for _, fl := range n.flags {
			if a := action(fl.value); fl.takes && a != "" {
				var pats []string
				for _, s := range fl.valued() {
					pats = append(pats, shQuote(n.id()+"/"+s))
				}
				p("\t%s) %s ;;\n", strings.Join(pats, " | "), a)
			}
		}
	})
	p("\tesac\n}\n\n")

	p("# __%s_arg CMD N CUR offers the values of the positional argument N (from 0) of CMD that\n# start with CUR.\n", f)
	p("__%s_arg() {\n\tcase $1/$2 in\n", f)
	root.walk(func(n *compNode) {
		for i, arg := range n.args {
			pat := shQuote(fmt.Sprintf("%s/%d", n.id(), i))
			if arg.repeat {
				pat = shQuote(n.id()+"/") + "*"
			}
			if a := action(arg); a != "" {
				p("\t%s) %s ;;\n", pat, a)
			}
		}
	})
	p("\tesac\n}\n")

	r := strings.NewReplacer("@f@", f, "@root@", shQuote(root.id()))
	b.WriteString(r.Replace(bashHelpers))
	p("\ncomplete -F _%s %s\n", f, shQuote(name))
}

// writeZsh writes the zsh script: a function per command that describes its flags and
// arguments to _arguments, the ones with subcommands handing the rest of the line to theirs.
func writeZsh(b *strings.Builder, root *compNode) {
	name := root.path[0]
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("#compdef %s\n", name)
	p("# zsh completion for %[1]s, generated by \"%[1]s completion zsh\".\n#\n", name)
	p("# Load it into the running shell, after compinit, with\n#     source <(%[1]s completion zsh)\n", name)
	p("# or install it as _%[1]s in a directory of $fpath, e.g. with fpath=(~/.zfunc $fpath) in\n", name)
	p("# ~/.zshrc before compinit:\n#     mkdir -p ~/.zfunc && %[1]s completion zsh > ~/.zfunc/_%[1]s\n", name)
	root.walk(func(n *compNode) { writeZshFunc(b, n) })
	fn := zshFunc(root)
	p("\n# Autoloaded from $fpath, this file is the body of %[1]s: complete. Sourced, register %[1]s.\n", fn)
	p("if [[ $funcstack[1] == %[1]s ]]; then\n\t%[1]s \"$@\"\nelse\n\tcompdef %[1]s %[2]s\nfi\n", fn, shQuote(name))
}

// zshFunc is the name of the zsh function that completes the command n.
func zshFunc(n *compNode) string {
	parts := make([]string, len(n.path))
	for i, s := range n.path {
		parts[i] = ident(s)
	}
	return "_" + strings.Join(parts, "_")
}

// writeZshFunc writes the function that completes the command n.
func writeZshFunc(b *strings.Builder, n *compNode) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	var specs []string
	for _, fl := range n.flags {
		excl := ""
		if fl.repeat {
			excl = "*"
		} else {
			excl = "(" + strings.Join(fl.all(), " ") + ")"
		}
		desc := "[" + zshEscape(fl.help, `\]`) + "]"
		value := ""
		if fl.takes {
			value = ":" + zshEscape(fl.value.name, `\:`) + ":" + zshAction(fl.value)
		}
		for _, s := range fl.long {
			if fl.takes {
				s += "="
			}
			specs = append(specs, excl+s+desc+value)
		}
		for _, s := range fl.short {
			if fl.takes {
				s += "+"
			}
			specs = append(specs, excl+s+desc+value)
		}
		if fl.neg != "" {
			specs = append(specs, excl+fl.neg+desc)
		}
	}
	if len(n.cmds) > 0 { // kong reads the positional arguments before a subcommand: not completed
		specs = append(specs, ": :->command", "*:: :->argument")
	} else {
		for i, a := range n.args {
			pos := fmt.Sprint(i + 1)
			switch {
			case a.repeat:
				pos = "*"
			case a.optional:
				pos += ":"
			}
			specs = append(specs, pos+":"+zshEscape(a.name, `\:`)+":"+zshAction(a))
		}
	}

	p("\n# %s completes %s.\n", zshFunc(n), strings.Join(n.path, " "))
	p("%s() {\n", zshFunc(n))
	if len(n.cmds) == 0 {
		p("\t_arguments -s -S")
		for _, s := range specs {
			p(" \\\n\t\t%s", shQuoteForce(s))
		}
		p("\n}\n")
		return
	}
	p("\tlocal curcontext=$curcontext state state_descr line ret=1\n\ttypeset -A opt_args\n")
	p("\t_arguments -C -s -S")
	for _, s := range specs {
		p(" \\\n\t\t%s", shQuoteForce(s))
	}
	p(" && ret=0\n\tcase $state in\n\tcommand)\n\t\tlocal -a commands\n\t\tcommands=(\n")
	for _, c := range n.cmds {
		p("\t\t\t%s\n", shQuoteForce(zshEscape(c.names[0], `\:`)+":"+c.help))
	}
	p("\t\t)\n\t\t_describe -t commands command commands && ret=0\n\t\t;;\n")
	p("\targument)\n\t\tcurcontext=${curcontext%%:*:*}:%s-$words[1]:\n\t\tcase $words[1] in\n", strings.Join(n.path, "-"))
	for _, c := range n.cmds {
		var pats []string
		for _, a := range c.names {
			pats = append(pats, shQuote(a))
		}
		p("\t\t%s) %s && ret=0 ;;\n", strings.Join(pats, " | "), zshFunc(c))
	}
	p("\t\tesac\n\t\t;;\n\tesac\n\treturn ret\n}\n")
}

// zshAction is the action of an _arguments spec that completes v.
func zshAction(v compValue) string {
	switch v.kind {
	case compWords:
		w := make([]string, len(v.words))
		for i, s := range v.words {
			w[i] = zshEscape(s, "\\:()[]{}<>'\"`$&|;*?#~^!= \t")
		}
		return "(" + strings.Join(w, " ") + ")"
	case compFiles:
		return "_files"
	case compDirs:
		return "_files -/"
	}
	return " " // show the message, complete nothing
}

// zshEscape puts a backslash before every character of s that is in special.
func zshEscape(s, special string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(special, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shQuoteForce quotes s in single quotes for bash and zsh.
func shQuoteForce(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishHelpers are the fixed functions of the fish script; @f@ stands for the name of the program
// as a function name, @root@ for the top of the command tables.
const fishHelpers = `
# __@f@_at CMD [N [+]] tells whether the words before the cursor select the command CMD (its
# path: @root@, @root@/cmd, ...) and, with N, whether the word at the cursor is its positional
# argument number N (from 0; with +, N or later) rather than the value of a flag. It reads the
# words as kong does.
function __@f@_at
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmd @root@
    set -l info (__@f@_cmd $cmd)
    set -l n 0
    set -l value 0
    set -l end 0
    for w in $words
        if test $value = 1
            set value 0
            continue
        end
        if test $end = 0
            switch $w
                case --
                    set end 1
                    continue
                case '--*=*'
                    continue
                case -
                    # standard input: a positional argument
                case '-*'
                    if contains -- $w $info[2..-1]
                        set value 1
                    end
                    continue
            end
        end
        if test $n -eq $info[1]
            set -l child (__@f@_child $cmd $w)
            if test -n "$child"
                set cmd $child
                set info (__@f@_cmd $cmd)
                set n 0
                continue
            end
        end
        set n (math $n + 1)
    end
    test "$cmd" = "$argv[1]"; or return 1
    set -q argv[2]; or return 0
    test $value = 0; or return 1
    if test "$argv[3]" = +
        test $n -ge $argv[2]
    else
        test $n -eq $argv[2]
    end
end
`

// writeFish writes the fish script: functions that find the command on the command line, and a
// complete line for each command, flag and positional argument, conditioned on the command.
func writeFish(b *strings.Builder, root *compNode) {
	name, f := root.path[0], ident(root.path[0])
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# fish completion for %[1]s, generated by \"%[1]s completion fish\".\n#\n", name)
	p("# Install it with\n#     %[1]s completion fish > ~/.config/fish/completions/%[1]s.fish\n", name)
	p("# or load it into the running shell with\n#     %[1]s completion fish | source\n\n", name)

	p("# __%s_cmd CMD prints how many positional arguments the command CMD takes before its\n", f)
	p("# subcommands (-1: any number, and no subcommands), then its flags that take a value, one a line.\n")
	p("function __%s_cmd\n    switch $argv[1]\n", f)
	root.walk(func(n *compNode) {
		out := []string{fmt.Sprint(n.nargs())}
		for _, fl := range n.flags {
			if fl.takes {
				out = append(out, fl.valued()...)
			}
		}
		p("        case %s\n            printf '%%s\\n' %s\n", fishQuote(n.id()), fishQuoteAll(out))
	})
	p("    end\nend\n\n")

	p("# __%s_child CMD WORD prints the path of the subcommand WORD of the command CMD, if any.\n", f)
	p("function __%s_child\n    switch $argv[1]/$argv[2]\n", f)
	root.walk(func(n *compNode) {
		for _, c := range n.cmds {
			var pats []string
			for _, a := range c.names {
				pats = append(pats, fishQuote(n.id()+"/"+a))
			}
			p("        case %s\n            echo %s\n", strings.Join(pats, " "), fishQuote(c.id()))
		}
	})
	p("    end\nend\n")
	b.WriteString(strings.NewReplacer("@f@", f, "@root@", root.id()).Replace(fishHelpers))

	p("\n# No file names, but where a flag or argument takes them.\ncomplete -c %s -f\n", fishQuote(name))
	root.walk(func(n *compNode) {
		p("\n# %s\n", strings.Join(n.path, " "))
		at := func(args ...string) string {
			return fishQuote(fmt.Sprintf("__%s_at %s", f, fishQuoteAll(append([]string{n.id()}, args...))))
		}
		line := func(cond string, rest ...string) {
			p("complete -c %s -n %s %s\n", fishQuote(name), cond, strings.Join(rest, " "))
		}
		for _, fl := range n.flags {
			var opts []string
			for _, s := range fl.short {
				opts = append(opts, "-s", fishQuote(strings.TrimPrefix(s, "-")))
			}
			for _, s := range fl.long {
				opts = append(opts, "-l", fishQuote(strings.TrimPrefix(s, "--")))
			}
			if fl.takes {
				opts = append(opts, fishAction(fl.value, true)...)
			}
			line(at(), append(opts, "-d", fishQuote(fl.help))...)
			if fl.neg != "" {
				line(at(), "-l", fishQuote(strings.TrimPrefix(fl.neg, "--")), "-d", fishQuote(fl.help))
			}
		}
		if nargs := n.nargs(); nargs >= 0 {
			for _, c := range n.cmds {
				line(at(fmt.Sprint(nargs)), "-a", fishQuote(c.names[0]), "-d", fishQuote(c.help))
			}
		}
		for i, a := range n.args {
			var cond string
			if a.repeat {
				cond = at(fmt.Sprint(i), "+")
			} else {
				cond = at(fmt.Sprint(i))
			}
			if opts := fishAction(a, false); len(opts) > 0 {
				if a.kind == compWords {
					opts = append(opts, "-d", fishQuote(a.help))
				}
				line(cond, opts...)
			}
		}
	})
}

// fishAction returns the options of a complete line that complete v: for a flag's value, they
// also say that the flag takes one.
func fishAction(v compValue, flag bool) []string {
	var opts []string
	switch v.kind {
	case compWords:
		opts = []string{"-a", fishQuote(fishQuoteAll(v.words))}
	case compFiles:
		opts = []string{"-F"}
	case compDirs:
		opts = []string{"-a", fishQuote("(__fish_complete_directories)")}
	}
	if flag {
		if v.kind == compFiles {
			opts = append([]string{"-r"}, opts...)
		} else {
			opts = append([]string{"-x"}, opts...)
		}
	}
	return opts
}

// fishQuote quotes s for fish, when it needs quotes.
func fishQuote(s string) string {
	if safeWord(s) {
		return s
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// fishQuoteAll quotes each of words with fishQuote and joins them with spaces.
func fishQuoteAll(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = fishQuote(w)
	}
	return strings.Join(q, " ")
}
