// Package analyze merges the records of a triad's inputs into one timeline and decides what
// happened: the state of the triad over time (TRIAD.md section 4), the findings with the
// evidence lines behind them and their fixes (section 5), and the verdict.
//
// It works on parser.File values only and never touches a file, the clock or the
// environment: the same files and Config always give the same Report.
package analyze

import (
	"fmt"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// State is the state of the triad over an interval.
type State string

// Triad states, in the order their rules are tried (first match wins).
const (
	Unknown      State = "unknown"
	Starting     State = "starting"
	FailedRejoin State = "failed-rejoin"
	DualMaster   State = "dual-master"
	NoQuorum     State = "no-quorum"
	Masterless   State = "masterless"
	Degraded     State = "degraded"
	Normal       State = "normal"
)

// Status is what is known of one server at a moment.
type Status string

// Server statuses.
const (
	StatusUnknown      Status = "unknown"
	StatusUp           Status = "up"
	StatusIsolated     Status = "isolated" // running, outside every quorum (lmstat -20, lost quorum): a partition
	StatusJoining      Status = "joining"
	StatusDown         Status = "down"
	StatusUnresponsive Status = "unresponsive"
)

// Severity of a finding; the verdict also uses SeverityOK.
type Severity string

// Severities, least severe first; the verdict of an analysis that cannot classify anything
// is SeverityInconclusive.
const (
	SeverityOK           Severity = "ok"
	SeverityInfo         Severity = "info"
	SeverityWarning      Severity = "warning"
	SeverityCritical     Severity = "critical"
	SeverityInconclusive Severity = "inconclusive"
)

func (s Severity) rank() int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityCritical:
		return 3
	}
	return 0
}

// Ref is one evidence line.
type Ref struct {
	File string
	Line int
	Text string
	Time time.Time // corrected time of the line (zero when it has none)
}

// At is "file:line".
func (r Ref) At() string { return fmt.Sprintf("%s:%d", r.File, r.Line) }

// Span is a time range.
type Span struct {
	Start, End time.Time
}

// Usage counts usage lines in an interval.
type Usage struct {
	Out, In, Denied, Queued, Other int
}

// ServerState is one server's status at the start of an interval.
type ServerState struct {
	Server string
	Status Status
}

// Interval is a maximal run of one state with the same masters and the same servers not up.
type Interval struct {
	Start, End time.Time
	State      State
	Masters    []string
	Servers    []ServerState // in SERVER-line order
	Usage      Usage
	Evidence   []Ref
	// An unknown interval says why (which servers no input covers, and since when) and which
	// inputs would settle it ("fnp-muc2's log", "lmstat").
	Why    msg.Text
	Settle []msg.Text
}

// Duration is the interval's length.
func (iv Interval) Duration() time.Duration { return iv.End.Sub(iv.Start) }

// NotUp lists the servers that were not up at the interval's start.
func (iv Interval) NotUp() []ServerState {
	var out []ServerState
	for _, s := range iv.Servers {
		if s.Status != StatusUp {
			out = append(out, s)
		}
	}
	return out
}

// StatusSpan is a maximal span in which one server's status, and whether it claimed master,
// stayed the same; Evidence is what began it.
type StatusSpan struct {
	Start, End time.Time
	Status     Status
	Master     bool
	Evidence   []Ref
}

// Lane is one server's status over the whole report (an interval lists only the status at
// its start; a server may go from down to joining to unresponsive inside one).
type Lane struct {
	Server string
	Spans  []StatusSpan
}

// Finding is one diagnosis. Its fix, when the code has one, is the report's to word
// (report/catalog).
type Finding struct {
	Code     string
	Severity Severity
	Server   string // "" when it concerns the whole triad
	Start    time.Time
	End      time.Time
	Msg      msg.Text // the one-sentence summary
	Evidence []Ref
	// Planned: a planned stop (TRIAD.md section 5): the planned-shutdown finding itself, or a
	// span the stop caused (info, and its summary says so).
	Planned  bool
	interval int // index of the interval it came from, -1 when none
}

// Verdict sums up the report.
type Verdict struct {
	State    State
	Severity Severity
	ExitCode int
	Msg      msg.Text // the summary
	Finding  *Finding // the finding the verdict rests on, nil when none
	Others   int      // the other findings at warning or above
}

// InputInfo describes one input file.
type InputInfo struct {
	Path         string
	Kind         string
	Server       string // debug log: the server that wrote it
	SHA256       string
	Encoding     string
	Lines        int
	Recognized   int
	Unrecognized int
	First, Last  time.Time // corrected for skew
	Gaps         []Span    // spans between First and Last that this input does not cover
	Events       int       // triad events (logs) or snapshots (lmstat)
	Skipped      msg.Text  // why the input was not used (reason.*), when it was not
}

// ServerInfo is one member of the triad.
type ServerInfo struct {
	Name    string
	Role    string // primary, secondary, tertiary
	HostID  string
	Port    int
	Aliases []string // other spellings seen for this host
}

// Triad is the configuration the report rests on.
type Triad struct {
	Servers          []ServerInfo
	PrimaryIsMaster  bool
	HeartbeatTimeout time.Duration
	Source           string // where the member list came from: license, lmstat or logs
}

// Skew is one clock's offset against the reference clock.
type Skew struct {
	Server string
	Offset time.Duration // that clock minus the reference clock
	Method string        // reference, estimated, given, none
	Pairs  int
}

// Clock describes the time base.
type Clock struct {
	Timezone string
	// TimezoneSource says where the zone came from (TRIAD.md 6): "given" (--tz), "evidence"
	// (lines of the inputs fix it) or "machine" (none does: this machine's zone); "" when the
	// caller did not say.
	TimezoneSource string
	// TimezoneEvidence are the lines that fixed the zone (source "evidence").
	TimezoneEvidence []ZoneRef
	Skew             []Skew
}

// ZoneRef is a line that tells the zone the servers' clocks were in (a Ref without a time:
// the zone is what the time is read with).
type ZoneRef struct {
	File string
	Line int
	Text string
	// Says is what the line states of the zone, as written: "Tokyo Standard Time", "EDT",
	// or a UTC offset, "UTC-04:00".
	Says string
}

// At is "file:line".
func (r ZoneRef) At() string { return Ref{File: r.File, Line: r.Line}.At() }

// Stats counts what was read.
type Stats struct {
	Files, Lines, Events, Unrecognized int
}

// TimelineEntry is one triad event of the merged timeline and the state after it.
type TimelineEntry struct {
	Time    time.Time // corrected
	Server  string    // the observer: a server, or "lmstat"
	Ref     Ref
	What    msg.Text // what happened, in short
	State   State    // the triad state after this entry
	Masters []string
}

// Report is the whole analysis.
type Report struct {
	Inputs    []InputInfo
	Triad     Triad
	Clock     Clock
	Intervals []Interval
	Lanes     []Lane // per server, in SERVER-line order
	Findings  []Finding
	Verdict   Verdict
	Stats     Stats
	Timeline  []TimelineEntry
	Notes     []msg.Text // what the evidence cannot show (missing inputs), in plain words
	Warnings  []msg.Text // problems with the inputs as a whole
}
