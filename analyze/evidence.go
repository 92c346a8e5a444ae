package analyze

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 1 of the analysis: the inputs, sorted by what they are and whose they are.

// evidence is what the inputs hold: the triad's members and every spelling of their names,
// each server's logs, the lmstat outputs, and what each input was read as. No time in it is
// corrected yet (that needs the clocks of stage 2).
type evidence struct {
	id     *identity
	n      int // members analysed: at most 3, however many the inputs name
	lic    *parser.License
	triad  Triad
	logs   [][]*parser.File // per member, in time order; empty when it has no usable log
	lmstat []*parser.File   // lmstat outputs with at least one snapshot; pastes placed at Config.At are runs
	// untimed are the snapshots pasted without their header when Config.At does not place
	// them: their time is unknown (TRIAD.md section 2).
	untimed []untimedRun
	inputs  []InputInfo // one per file, in the order given
	infoOf  map[*parser.File]int
	stats   Stats
	warn    []msg.Text // problems with the inputs as a whole
}

// hasLog tells whether member i has a log of its own.
func (ev *evidence) hasLog(i int) bool { return i < len(ev.logs) && len(ev.logs[i]) > 0 }

// startsCold tells whether member i's own log begins with its lmgrd starting: before that,
// lmgrd was not running.
func (ev *evidence) startsCold(i int) bool { return ev.hasLog(i) && ev.logs[i][0].StartsCold }

// name is member i's name, or "lmstat" for the observer after the members.
func (ev *evidence) name(i int) string {
	if i >= len(ev.id.names) {
		return lmstatObserver
	}
	return ev.id.names[i]
}

// names maps member indexes to names.
func (ev *evidence) names(idx []int) []string {
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, ev.id.names[i])
	}
	return out
}

// member looks a host name up among the members analysed.
func (ev *evidence) member(name string) (int, bool) {
	i, ok := ev.id.lookup(name)
	if !ok || i >= ev.n {
		return -1, false
	}
	return i, true
}

// spelledOtherwise tells an lmstat run that lists a member spelled otherwise than its SERVER
// line (FQDN, case): lmstat compares names letter for letter, so its (MASTER) marks may be
// hidden (FORMATS.md 2.2, TRIAD.md 4).
func (ev *evidence) spelledOtherwise(s *parser.Snapshot) bool {
	for _, sl := range s.Servers {
		if i, ok := ev.member(sl.Name); ok && sl.Name != ev.id.names[i] {
			return true
		}
	}
	return false
}

// isMember tells whether name spells member j.
func (ev *evidence) isMember(name string, j int) bool {
	i, ok := ev.id.lookup(name)
	return ok && i == j
}

// others are the members other than i.
func (ev *evidence) others(i int) []string {
	var out []string
	for j, n := range ev.id.names[:ev.n] {
		if j != i {
			out = append(out, n)
		}
	}
	return out
}

// gather is stage 1: it decides the members (license file, else lmstat's server list, else
// the logs' hosts), assigns each debug log to the server that wrote it, and learns every
// spelling of the members' names. An error means nothing can be analysed (ErrNoInput, or an
// *InputError for a log that no server can be said to have written).
func gather(files []*parser.File, cfg Config) (*evidence, error) {
	ev := &evidence{infoOf: map[*parser.File]int{}}
	var used []*parser.File
	for _, f := range files {
		ev.stats.Files++
		ev.stats.Lines += f.Lines
		ev.stats.Unrecognized += f.Unrecognized
		if f.Kind != parser.KindUnknown && f.SameAs == "" {
			used = append(used, f)
		}
	}
	if len(used) == 0 {
		return nil, ErrNoInput
	}
	names, lic, source, warn := members(used)
	if !warn.IsZero() {
		ev.warn = append(ev.warn, warn)
	}
	ev.id = &identity{names: names, aliases: make([][]string, len(names))}
	ev.lic = lic
	ev.n = min(len(names), 3)
	ev.triad = triadOf(names, lic, source)
	ev.logs = make([][]*parser.File, len(names))
	if err := ev.checkConfig(cfg); err != nil {
		return nil, err
	}
	pasted := false // some lmstat output has no header, so no time

	for _, f := range files {
		info := InputInfo{Path: f.Name, Kind: f.Kind.String(), SHA256: f.SHA256, Encoding: f.Encoding, Lines: f.Lines,
			Recognized: f.Recognized, Unrecognized: f.Unrecognized}
		if f.SameAs != "" {
			// The same content was read under another name: used there, listed here as skipped.
			info.Skipped = f.Reason
			ev.inputs = append(ev.inputs, info)
			continue
		}
		switch f.Kind {
		case parser.KindUnknown:
			info.Skipped = f.Reason
		case parser.KindDebugLog:
			i, ok := assign(f, cfg.Servers, ev.id)
			if !ok {
				if len(ev.id.names) < 3 && f.Host == "" {
					info.Skipped = msg.New("reason.unassigned")
					break
				}
				return nil, &InputError{File: f.Name, Unassigned: true,
					Msg: fmt.Sprintf("cannot tell which server wrote this log (no banner naming one of %s)", strings.Join(ev.id.names, ", "))}
			}
			ev.id.see(i, f.Host)
			info.Server = ev.id.names[i]
			if !f.Reason.IsZero() {
				info.Skipped = f.Reason
			}
			info.Events = len(f.Events)
			if len(f.Events) > 0 || len(f.Usage) > 0 || !f.First.IsZero() {
				ev.logs[i] = append(ev.logs[i], f)
			}
		case parser.KindLmstat:
			info.Events = len(f.Runs) + len(f.Untimed)
			if len(f.Snapshots) == 0 {
				info.Skipped = msg.New("reason.no-lmstat-status")
				break
			}
			if len(f.Untimed) > 0 {
				pasted = true
				if !cfg.At.IsZero() {
					f = placeAt(f, cfg.At) // a run like any other, stamped at --at, from here on
				} else {
					for _, r := range f.Untimed {
						ev.untimed = append(ev.untimed, untimedRun{file: f, run: r})
					}
				}
			}
			ev.lmstat = append(ev.lmstat, f)
		case parser.KindLicense:
			if f.License == nil || len(f.License.Servers) == 0 {
				info.Skipped = msg.New("reason.no-server-lines")
			}
		}
		ev.infoOf[f] = len(ev.inputs)
		ev.inputs = append(ev.inputs, info)
	}
	if !cfg.At.IsZero() && !pasted {
		ev.warn = append(ev.warn, msg.New("warn.at-unused", "at", cfg.At))
	}
	// A server's log may come in several files (rotated, or one per lmgrd start): in time order.
	for i := range ev.logs {
		fs := ev.logs[i]
		sort.SliceStable(fs, func(x, y int) bool { return fs[x].First.Before(fs[y].First) })
		for _, f := range fs {
			for _, e := range f.Events {
				if e.Kind == parser.EvStart {
					ev.id.see(i, e.Peer)
				}
			}
		}
	}
	ev.listedAliases()
	// Server lines that name no member: each kind of mismatch said once, and many unknown
	// names (a snapshot of another site's servers) as one warning with a count.
	var strangers []string // "file:line name", in file order
	for _, f := range ev.lmstat {
		for _, s := range f.Snapshots {
			for _, sl := range s.Servers {
				if i, ok := ev.id.lookup(sl.Name); ok {
					ev.id.see(i, sl.Name)
					continue
				}
				at := Ref{File: f.Name, Line: sl.Line}.At()
				if w := ev.id.why(at, sl.Name); w.Key == "warn.lmstat-ambiguous-server" {
					ev.warn = appendOnce(ev.warn, w)
				} else if !containsHost(strangers, sl.Name) {
					strangers = append(strangers, at+" "+sl.Name)
				}
			}
		}
	}
	switch n := len(strangers); {
	case n == 1:
		at, name, _ := strings.Cut(strangers[0], " ")
		ev.warn = append(ev.warn, ev.id.why(at, name))
	case n > 1:
		ev.warn = append(ev.warn, msg.New("warn.lmstat-unknown-servers", "count", n, "samples", msg.Raw(someNames(strangers, 5)),
			"members", msg.Raw(strings.Join(ev.id.names, ", "))))
	}
	for i := range ev.triad.Servers {
		ev.triad.Servers[i].Aliases = ev.id.aliases[i]
	}
	ev.fileWarnings(files)
	return ev, nil
}

// triadCheck says why the members cannot be analysed as a triad (for the verdict, and as an
// error), nil when they can.
func (ev *evidence) triadCheck() (msg.Text, error) {
	names := ev.id.names
	switch len(names) {
	case 0:
		return msg.New("verdict.inconclusive.no-server"), fmt.Errorf("%w: the inputs name no license server", ErrNoEvidence)
	case 1:
		return msg.New("verdict.inconclusive.one-server", "server", names[0]),
			fmt.Errorf("%w: the inputs name only one server (%s); three-server redundancy needs three", ErrNotTriad, names[0])
	case 2:
		return msg.New("verdict.inconclusive.two-servers", "servers", names),
			fmt.Errorf("%w: the inputs name only two servers (%s); three-server redundancy needs three", ErrNotTriad, strings.Join(names, ", "))
	case 3:
		// A snapshot that names more servers is not a triad, unless a license file names
		// three of them (TRIAD.md 4; issue: 1,000 servers in one snapshot passed as one).
		if n, crowd := ev.crowd(); n > 3 && ev.lic == nil {
			return msg.New("verdict.inconclusive.many-servers", "count", n, "servers", msg.Raw(someNames(crowd, 5))),
				fmt.Errorf("%w: an lmstat snapshot names %d servers (%s); a triad has three: give the license file, whose SERVER lines name its members", ErrNotTriad, n, someNames(crowd, 5))
		}
		return msg.Text{}, nil
	}
	// More than three: a snapshot or the logs name other hosts too. Which three are the
	// triad, and in which order, only a license file can say.
	return msg.New("verdict.inconclusive.many-servers", "count", len(names), "servers", msg.Raw(someNames(names, 5))),
		fmt.Errorf("%w: the inputs name %d servers (%s); a triad has three: give the license file, whose SERVER lines name its members", ErrNotTriad, len(names), someNames(names, 5))
}

// triadOf describes the members: roles by SERVER-line order, hostids and ports from the
// license file, PRIMARY_IS_MASTER and the heartbeat timeout from its first SERVER line.
func triadOf(names []string, lic *parser.License, source string) Triad {
	roles := []string{"primary", "secondary", "tertiary"}
	t := Triad{Source: source}
	hb := 20
	for i, n := range names {
		si := ServerInfo{Name: n, Role: "member"}
		if i < len(roles) {
			si.Role = roles[i]
		}
		if lic != nil && i < len(lic.Servers) {
			s := lic.Servers[i]
			si.HostID, si.Port = s.HostID, s.Port
			if i == 0 {
				t.PrimaryIsMaster = s.PrimaryIsMaster
				if s.HeartbeatInterval > 0 {
					hb = s.HeartbeatInterval
				}
			}
		}
		t.Servers = append(t.Servers, si)
	}
	// FlexLM: timeout = 3*interval + (interval-1); 20 s gives 79 s.
	t.HeartbeatTimeout = time.Duration(3*hb+hb-1) * time.Second
	return t
}

// listedAliases matches lmstat's "License server status: port@h1,port@h2,port@h3" list to the
// members by position where a name does not match by itself (an IP address, another alias):
// lmstat -c is given the servers in SERVER-line order. Each such match is a warning.
func (ev *evidence) listedAliases() {
	if ev.triad.Source == "lmstat" {
		return
	}
	for _, f := range ev.lmstat {
		for _, s := range f.Snapshots {
			if len(s.Listed) != len(ev.id.names) {
				continue
			}
			for k, name := range s.Listed {
				if _, ok := ev.id.lookup(name); ok {
					continue
				}
				ev.id.see(k, name)
				ev.warn = appendOnce(ev.warn, msg.New("warn.lmstat-position", "at", msg.Raw(Ref{File: f.Name, Line: s.ListedLine}.At()),
					"name", msg.Raw(name), "server", ev.id.names[k], "pos", k+1, "count", len(s.Listed)))
			}
			return // one list is enough: every snapshot repeats it
		}
	}
}

// serverOf is the member whose logs hold f.
func (ev *evidence) serverOf(f *parser.File) (int, bool) {
	for i, fs := range ev.logs {
		for _, x := range fs {
			if x == f {
				return i, true
			}
		}
	}
	return -1, false
}

// placeAt is lmstat file f with its pastes (File.Untimed) placed at t (--at) as runs stamped
// with that time, in time order among its runs: the file as the analysis reads it from
// then on. f itself is left as the parser made it.
func placeAt(f *parser.File, t time.Time) *parser.File {
	g := *f
	g.Runs = append([]parser.Run(nil), f.Runs...)
	for _, r := range f.Untimed {
		r.Time, r.Exact = t, true
		g.Runs = append(g.Runs, r)
	}
	sort.SliceStable(g.Runs, func(i, j int) bool { return g.Runs[i].Time.Before(g.Runs[j].Time) })
	g.Untimed = nil
	if g.First.IsZero() || t.Before(g.First) {
		g.First = t
	}
	if t.After(g.Last) {
		g.Last = t
	}
	return &g
}

// lmRun is an lmstat run's time and whether it failed as a whole.
type lmRun struct {
	at     time.Time
	failed bool
}

// runTimes are the times of an lmstat file's runs, failed ones marked.
func runTimes(f *parser.File) []lmRun {
	out := make([]lmRun, 0, len(f.Runs))
	for _, r := range f.Runs {
		out = append(out, lmRun{r.Time, f.Failed(r)})
	}
	return out
}

func appendOnce(list []msg.Text, t msg.Text) []msg.Text {
	s := t.String()
	for _, x := range list {
		if x.String() == s {
			return list
		}
	}
	return append(list, t)
}

// containsHost tells whether "file:line name" entries hold a spelling of host.
func containsHost(list []string, host string) bool {
	for _, x := range list {
		if _, name, _ := strings.Cut(x, " "); hostKey(name) == hostKey(host) {
			return true
		}
	}
	return false
}

// crowd is the largest number of servers one lmstat snapshot names (its server list and its
// server lines, each host once): more than three is not a triad.
func (ev *evidence) crowd() (int, []string) {
	best, names := 0, []string(nil)
	for _, f := range ev.lmstat {
		for _, s := range f.Snapshots {
			var hosts []string
			for _, h := range s.Listed {
				hosts = addUnique(hosts, h)
			}
			for _, sl := range s.Servers {
				hosts = addUnique(hosts, sl.Name)
			}
			if len(hosts) > best {
				best, names = len(hosts), hosts
			}
		}
	}
	return best, names
}

// someNames lists the first max names and says how many more there are.
func someNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}
