package parser

import (
	"bytes"
	"strings"
)

// A wording lmtriad does not know must never pass silently (TRIAD.md 3): the readers keep the
// lines that may be triad news in such a wording, and the analysis, which knows the triad's
// members, says how many there are, with samples.

// Suspect is a line that may be triad news in a wording lmtriad does not know: a line of lmgrd
// or of a vendor daemon that matches no known form, or a line of no known form in the server
// section of an lmstat run.
type Suspect struct {
	Line int
	Text string // the line as written, at most maxSuspectText bytes of it
	// News: the line reads as triad news whatever it names (it speaks of master, quorum,
	// heartbeat, redundancy or failover; a line of lmgrd also of connections, peers or losing
	// them; any line of lmstat's server section). Otherwise it is triad news only when it names
	// a member of the triad other than the server that wrote the log, which the analysis checks.
	News bool
}

const (
	// maxSuspects bounds the suspects a file keeps. Lines that read as news are all counted
	// (File.SuspectsMore); lines past the bound that might only name a member are not kept.
	maxSuspects = 2000
	// maxSuspectText bounds the text kept of one: a host named further in is not looked for.
	maxSuspectText = 256
)

func (f *File) suspect(n int, text string, news bool) {
	if len(f.Suspects) >= maxSuspects {
		if news {
			f.SuspectsMore++
		}
		return
	}
	if len(text) > maxSuspectText {
		text = strings.Clone(text[:maxSuspectText]) // a substring would keep the whole line
	}
	f.Suspects = append(f.Suspects, Suspect{Line: n, Text: text, News: news})
}

// debugSuspect examines a line of lmgrd or a vendor daemon that classify gave no triad meaning:
// line is the whole line, s its message (a suffix of line). Usage lines never come here. It
// allocates nothing: the strings are the caller's.
func (st *logState) debugSuspect(n int, line, s string, lmgrd bool) {
	if !examined(s) {
		return
	}
	// A start of lmgrd in a wording not known is news: the server's return.
	news := lmgrd && strings.Contains(s, " started on ")
	for w := range words(s) {
		if triadWord(w) || lmgrd && (linkWord(w) || inFold(w, stopWords)) {
			news = true
			break
		}
	}
	st.f.suspect(n, strings.TrimLeft(line, " "), news)
}

// examined tells a message that may be triad news from the forms known to say nothing of the
// triad although they hold its words or name its hosts (FORMATS.md 1.3 to 1.7), from the
// vendor's tagged blocks (SLOG statistics, MSC's INFO) and from indented lines, which continue
// the line before them (the start-up banner's box, the hosts after "There are N servers we
// can't read from").
func examined(s string) bool {
	if s == "" || s[0] == ' ' || s[0] == '\t' {
		return false
	}
	for _, p := range plainPrefixes {
		if strings.HasPrefix(s, p) {
			return false
		}
	}
	return !strings.Contains(s, "Not a valid server hostname") && !strings.Contains(s, "unknown in network database")
}

// plainPrefixes start the known lines without triad meaning that would look like news.
var plainPrefixes = []string{
	"(@", "SLOG: ", "TIMESTAMP ", "Server's System Date and Time: ",
	// lmgrd (FORMATS.md 1.4, 1.7)
	"lmgrd will now attempt to select a new master",          // follows "Lost connection to master"
	"process connection requests from other lmgrd processes", // follows "lmgrd lost quorum"
	"Waiting 60 seconds to shutdown redundant servers",
	"Valid server hosts are:", "Multiple SERVER lines for host ",
	"UNAUTHORIZED shutdown request",
	"Couldn't find a master",
	// vendor daemons (FORMATS.md 1.4, 1.5)
	"Server started on ", // its own host, and the features it serves
	"Lost connection to lmgrd, heartbeat timeout expired",
	"Heartbeat timeout is ",
	"No master specified", "No master, exiting",
	"lm_server: lost all connections", "lost lock, exiting",
	"license daemon on ", "WARNING - license daemon on ",
	"Redundant servers require some counted features",
	"VMS FLEXlm does not support redundant SERVER hosts",
}

// words yields the words of s: runs of ASCII letters, digits and underscores (a feature name
// such as NA_Master is one word).
func words(s string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i < len(s); {
			for i < len(s) && !wordByte(s[i]) {
				i++
			}
			j := i
			for j < len(s) && wordByte(s[j]) {
				j++
			}
			if j > i && !yield(s[i:j]) {
				return
			}
			i = j
		}
	}
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// triadWords speak of the triad in any daemon's line.
var triadWords = []string{"master", "masters", "quorum", "heartbeat", "heartbeats", "redundant", "redundancy", "failover"}

// linkWords speak of a link between servers in a line of lmgrd. A vendor daemon's connections
// are mostly its clients' (and, in a real log, a vendor's own compliance server): in its lines
// they are news only with a member named.
var linkWords = []string{"connection", "connections", "connect", "connected", "connecting", "disconnect",
	"disconnected", "reconnect", "reconnected", "reconnecting", "lost", "peer", "peers"}

// stopWords speak of lmgrd's or a vendor daemon's life cycle in a line of lmgrd (a stop on
// purpose, an exit, a start): news for the planned stops and the vendor daemon's outages.
var stopWords = []string{"shutdown", "exiting", "exited", "started", "restarted"}

func triadWord(w string) bool { return inFold(w, triadWords) }
func linkWord(w string) bool  { return inFold(w, linkWords) }

func inFold(w string, list []string) bool {
	if len(w) < 4 || len(w) > 12 {
		return false
	}
	for _, x := range list {
		if len(x) == len(w) && strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}

// lmstatSuspect keeps a line of an lmstat run's server section that is in no known form.
func (f *File) lmstatSuspect(n int, raw []byte) {
	f.suspect(n, strings.ToValidUTF8(string(bytes.TrimSpace(raw)), "\uFFFD"), true)
}

// serverCodes are the error codes of an lmstat server line that the analysis reads (TRIAD.md 3,
// analyze's sweep): a server line with another code is in a wording lmtriad does not know.
var serverCodes = map[int]bool{-96: true, -15: true, -14: true, -7: true, -95: true, -16: true, -20: true, -23: true}
