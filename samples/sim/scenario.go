package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Scenario is a triad's story: its configuration and a timed list of faults. It is read from
// JSON (Parse, Load); the format is described in the package documentation. Times are strings
// read in Zone ("2010-12-01 10:13:10", RFC 3339, or "+1h20m" after Start); durations are Go
// durations with an optional "d" for days ("90s", "2d3h").
type Scenario struct {
	Name        string `json:"name"`
	Dir         string `json:"dir,omitempty"`    // sample directory name under samples/ (default: Name)
	Sample      *bool  `json:"sample,omitempty"` // rendered into samples/ by go generate (default true)
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`

	Zone  string `json:"zone,omitempty"` // IANA zone of every clock (default UTC)
	Start string `json:"start"`          // the first server's start, unless Servers say otherwise
	End   string `json:"end,omitempty"`  // evidence ends here (default: 30 min after the last fault)
	Seed  int64  `json:"seed,omitempty"` // usage and process ids are drawn from it

	Version           string   `json:"version,omitempty"`  // FlexLM version, e.g. 10.8.0.7 or 11.13.1.2
	Build             string   `json:"build,omitempty"`    // its build number
	Platform          string   `json:"platform,omitempty"` // windows or linux (default for every server)
	Vendor            string   `json:"vendor,omitempty"`   // vendor daemon name (default bm)
	Port              int      `json:"port,omitempty"`     // lmgrd port (default 27001)
	VendorPort        int      `json:"vendor_port,omitempty"`
	LicensePath       string   `json:"license_path,omitempty"`
	PrimaryIsMaster   bool     `json:"primary_is_master,omitempty"`
	HeartbeatInterval int      `json:"heartbeat_interval,omitempty"` // seconds (default 20: timeout 79 s)
	RejoinGrace       Duration `json:"rejoin_grace,omitempty"`       // for the truth (default 5m)
	Timing            Timing   `json:"timing,omitempty"`

	Servers []Server `json:"servers"`
	Lmstat  Lmstat   `json:"lmstat,omitempty"`
	Usage   Usage    `json:"usage,omitempty"`
	Faults  []Fault  `json:"faults,omitempty"`
}

// Timing holds the delays of the triad's protocol; each has a default and faults may override
// some of them.
type Timing struct {
	Connect       Duration `json:"connect,omitempty"`        // cold start: banner to "Connected to" (1s)
	RejoinConnect Duration `json:"rejoin_connect,omitempty"` // a return: banner to "Connected to" (3s)
	Join          Duration `json:"join,omitempty"`           // "Connected to" to "selected (EXISTING) master" (5s)
	Election      Duration `json:"election,omitempty"`       // loss noticed to "CONNECTED, master is" (90s)
	ColdElection  Duration `json:"cold_election,omitempty"`  // quorum at a cold start to "CONNECTED, master is" (25s)
	CannotConnect Duration `json:"cannot_connect,omitempty"` // a hung return to its peers' "Cannot connect to" (13s)
}

// Server is one member of the triad, in SERVER-line order (primary, secondary, tertiary).
type Server struct {
	Name     string   `json:"name"`
	HostID   string   `json:"hostid,omitempty"`
	Start    string   `json:"start,omitempty"`  // its lmgrd's cold start (default: Start, +30s, +54s)
	Offset   Duration `json:"offset,omitempty"` // its clock minus true time
	Platform string   `json:"platform,omitempty"`
	Version  string   `json:"version,omitempty"`
	Build    string   `json:"build,omitempty"`
}

// Lmstat says how lmstat snapshots were collected.
type Lmstat struct {
	Disabled bool     `json:"disabled,omitempty"`
	Interval Duration `json:"interval,omitempty"` // between runs (default 60s)
	Second   *int     `json:"second,omitempty"`   // runs at this second of each interval (default 2)
	Offset   Duration `json:"offset,omitempty"`   // the collecting host's clock minus true time
	Stamps   bool     `json:"stamps,omitempty"`   // write "# <RFC 3339>" before each run
	Start    string   `json:"start,omitempty"`    // first run at or after (default: 1 min after the cold start)
	End      string   `json:"end,omitempty"`      // last run before (default End)
	Platform string   `json:"platform,omitempty"` // of the collecting host (default: the primary's)
	// Gaps are spans [from, to) in which collection stopped: no run starts in them.
	Gaps [][2]string `json:"gaps,omitempty"`
}

// Usage is the license load: checkout requests arrive at Rate per hour, each for one of the
// Features by one of the users, and hold their licenses for an exponential time of mean Hold.
type Usage struct {
	Off       bool      `json:"off,omitempty"`
	Features  []Feature `json:"features,omitempty"`
	Users     []string  `json:"users,omitempty"`      // "user@host"
	UserCount int       `json:"user_count,omitempty"` // users to make up when Users is empty (default 10)
	Rate      float64   `json:"rate,omitempty"`       // checkout requests per hour (default 20)
	Hold      Duration  `json:"hold,omitempty"`       // mean holding time (default 45m)
	Multi     float64   `json:"multi,omitempty"`      // share of checkouts of 2 to 4 licenses (default 0.05)
}

// Feature is one FEATURE line.
type Feature struct {
	Name     string `json:"name"`
	Licenses int    `json:"licenses"`
	Version  string `json:"version,omitempty"` // default 1.0
}

// Fault kinds.
const (
	KindCrash         = "crash"          // the machine (or, with Process, lmgrd) dies
	KindShutdown      = "shutdown"       // orderly stop (lmdown, service stop)
	KindRestart       = "restart"        // a down server comes back and rejoins
	KindHang          = "hang"           // a down server comes back and never rejoins
	KindSplitBrain    = "split-brain"    // a down server comes back and claims master for a while
	KindVendorExit    = "vendor-exit"    // the vendor daemon exits (and is restarted)
	KindOrderMismatch = "order-mismatch" // the server's license file gets another SERVER order
	KindPartition     = "partition"      // the network cuts one or two servers off from the others for a while
)

// Kinds lists the fault kinds.
var Kinds = []string{KindCrash, KindShutdown, KindRestart, KindHang, KindSplitBrain, KindVendorExit, KindOrderMismatch, KindPartition}

// Fault is one timed event of the story.
type Fault struct {
	At     string `json:"at"`
	Kind   string `json:"kind"`
	Server string `json:"server,omitempty"` // every kind but partition (which may name one server here instead of in Servers)

	Servers []string `json:"servers,omitempty"` // partition: the one or two servers cut off from the others
	Until   string   `json:"until,omitempty"`   // partition: when the network is back (or Down after At)

	Process  bool     `json:"process,omitempty"`  // crash: only lmgrd died, peers notice at once
	Election Duration `json:"election,omitempty"` // crash, shutdown, restart, partition: election delay
	Connect  Duration `json:"connect,omitempty"`  // restart, split-brain; partition: its end to the first "Connected to"
	Join     Duration `json:"join,omitempty"`     // restart, split-brain, partition
	Duration Duration `json:"duration,omitempty"` // split-brain: how long it claims master (default 90s)
	Storm    bool     `json:"storm,omitempty"`    // hang: a storm of TIMED OUT lines
	Every    Duration `json:"every,omitempty"`    // hang storm: between TIMED OUT pairs (2s); vendor-exit: between repeats
	Reason   int      `json:"reason,omitempty"`   // vendor-exit: exit reason (default 5, communications)
	Down     Duration `json:"down,omitempty"`     // vendor-exit: time before it is started again; partition: how long it lasts
	Repeat   int      `json:"repeat,omitempty"`   // vendor-exit: how many exits (default 1)
	Order    []string `json:"order,omitempty"`    // order-mismatch: the SERVER order of its file
	User     string   `json:"user,omitempty"`     // shutdown: who ran lmdown (default admin)
}

// Duration is a time.Duration written as a string in JSON ("90s", "1h30m", "2d").
type Duration time.Duration

// D is d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes d as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(formatDuration(time.Duration(d)))
}

// UnmarshalJSON reads a string duration.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"90s\": %s", b)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads a Go duration with an optional leading "+" and "d" for days.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var d time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, fmt.Errorf("bad duration %q", orig)
		}
		d = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
	}
	if s != "" {
		x, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("bad duration %q (use e.g. 90s, 1h30m, 2d)", orig)
		}
		d += x
	}
	if neg {
		d = -d
	}
	return d, nil
}

func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// Parse reads a scenario from JSON; unknown fields are errors. It checks the scenario (see Check).
func Parse(data []byte) (Scenario, error) {
	var sc Scenario
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return sc, fmt.Errorf("scenario: %v", err)
	}
	if err := sc.Check(); err != nil {
		return sc, err
	}
	return sc, nil
}

// Load reads a scenario file.
func Load(path string) (Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Scenario{}, err
	}
	sc, err := Parse(b)
	if err != nil {
		return sc, fmt.Errorf("%s: %v", path, err)
	}
	return sc, nil
}

// JSON writes the scenario as indented JSON.
func (sc Scenario) JSON() []byte {
	b, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// IsSample tells whether go generate renders the scenario into samples/.
func (sc Scenario) IsSample() bool { return sc.Sample == nil || *sc.Sample }

// SampleDir is the directory under samples/ the scenario is rendered into.
func (sc Scenario) SampleDir() string {
	if sc.Dir != "" {
		return sc.Dir
	}
	return sc.Name
}

// Check resolves the scenario and reports the first problem: bad times, unknown servers or
// kinds, and faults that cannot happen (a crash of a server that is down, a return of one that
// is running).
func (sc Scenario) Check() error {
	m, err := sc.model()
	if err != nil {
		return err
	}
	_, err = plan(m)
	return err
}

// ---- the resolved model ----

// model is a scenario with every default filled in and every time in Unix seconds (true time).
type model struct {
	sc       Scenario
	loc      *time.Location
	start    int64 // the earliest server start
	end      int64
	seed     int64
	vendor   string
	port     int
	vport    int
	pim      bool
	hb       int   // heartbeat interval
	hbTime   int64 // heartbeat timeout
	grace    int64
	t        timing
	servers  [3]mserver
	lm       mlmstat
	usage    musage
	faults   []mfault
	features []Feature
}

type timing struct{ connect, rejoinConnect, join, election, coldElection, cannot int64 }

type mserver struct {
	name     string
	hostid   string
	start    int64
	offset   int64
	platform string // windows, linux
	ver      version
	licPath  string
}

type mlmstat struct {
	on       bool
	interval int64
	second   int64
	offset   int64
	stamps   bool
	start    int64
	end      int64
	platform string
	ver      version
	gaps     [][2]int64 // no run in [from, to)
}

type musage struct {
	on    bool
	users []string
	rate  float64 // per second
	hold  float64 // seconds
	multi float64
}

type mfault struct {
	Fault
	at     int64
	server int     // the server (a partition's first)
	cut    [3]bool // partition: the servers cut off
	until  int64   // partition: when the network is back
	idx    int
}

// version is a FlexLM version: 10.8.0.7 build 31286.
type version struct {
	parts []int
	text  string // as given
	build string
}

func (v version) major() int { return v.parts[0] }

func parseVersion(s, build string) (version, error) {
	v := version{text: s, build: build}
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, fmt.Errorf("bad FlexLM version %q (use e.g. 10.8.0.7 or 11.13.1.2)", s)
		}
		v.parts = append(v.parts, n)
	}
	if len(v.parts) < 2 || v.parts[0] < 7 || v.parts[0] > 11 {
		return v, fmt.Errorf("FlexLM version %q: give major.minor from 7.0 to 11.x", s)
	}
	for len(v.parts) < 4 {
		v.parts = append(v.parts, 0)
	}
	if v.build == "" {
		switch {
		case v.parts[0] >= 11:
			v.build = "173085"
		case v.parts[0] == 10:
			v.build = "31286"
		}
	}
	return v, nil
}

func durSec(d Duration, def int64) int64 {
	if d == 0 {
		return def
	}
	return int64(time.Duration(d) / time.Second)
}

func (sc Scenario) model() (*model, error) {
	m := &model{sc: sc}
	if sc.Name == "" {
		return nil, errors.New("scenario: no name")
	}
	zone := sc.Zone
	if zone == "" {
		zone = "UTC"
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: zone %q: %v", sc.Name, zone, err)
	}
	m.loc = loc
	if sc.Start == "" {
		return nil, fmt.Errorf("scenario %s: no start time", sc.Name)
	}
	base, err := parseTime(sc.Start, loc, 0)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: start: %v", sc.Name, err)
	}
	at := func(what, s string, def int64) (int64, error) {
		if s == "" {
			return def, nil
		}
		t, err := parseTime(s, loc, base)
		if err != nil {
			return 0, fmt.Errorf("scenario %s: %s: %v", sc.Name, what, err)
		}
		return t, nil
	}
	m.seed = sc.Seed
	m.vendor = orDefault(sc.Vendor, "bm")
	if len(m.vendor) > 10 || strings.ContainsAny(m.vendor, " \t()") {
		return nil, fmt.Errorf("scenario %s: vendor %q: a vendor daemon name is one word of at most 10 characters", sc.Name, m.vendor)
	}
	m.port = intDefault(sc.Port, 27001)
	m.vport = intDefault(sc.VendorPort, 27010)
	m.pim = sc.PrimaryIsMaster
	m.hb = intDefault(sc.HeartbeatInterval, 20)
	if m.hb < 1 || m.hb > 120 {
		return nil, fmt.Errorf("scenario %s: heartbeat_interval %d: valid values are 1 to 120", sc.Name, m.hb)
	}
	m.hbTime = int64(3*m.hb + m.hb - 1)
	m.grace = durSec(sc.RejoinGrace, 300)
	tm := sc.Timing
	m.t = timing{
		connect:       durSec(tm.Connect, 1),
		rejoinConnect: durSec(tm.RejoinConnect, 3),
		join:          durSec(tm.Join, 5),
		election:      durSec(tm.Election, 90),
		coldElection:  durSec(tm.ColdElection, 25),
		cannot:        durSec(tm.CannotConnect, 13),
	}
	for _, d := range []Duration{tm.Connect, tm.RejoinConnect, tm.Join, tm.Election, tm.ColdElection, tm.CannotConnect, sc.RejoinGrace} {
		if d < 0 {
			return nil, fmt.Errorf("scenario %s: a delay cannot be negative (%s)", sc.Name, formatDuration(d.D()))
		}
	}
	if len(sc.Servers) != 3 {
		return nil, fmt.Errorf("scenario %s: %d servers: a triad has three", sc.Name, len(sc.Servers))
	}
	platform := orDefault(sc.Platform, "linux")
	verText := orDefault(sc.Version, "11.13.1.2")
	names := map[string]bool{}
	coldDefault := []int64{0, 30, 54}
	for i, s := range sc.Servers {
		ms := &m.servers[i]
		if s.Name == "" || strings.ContainsAny(s.Name, " \t,@:()") {
			return nil, fmt.Errorf("scenario %s: server %d: bad or missing name %q", sc.Name, i+1, s.Name)
		}
		if names[strings.ToLower(s.Name)] {
			return nil, fmt.Errorf("scenario %s: server %s named twice", sc.Name, s.Name)
		}
		names[strings.ToLower(s.Name)] = true
		ms.name = s.Name
		ms.hostid = s.HostID
		if ms.hostid == "" {
			h := fnv.New32a()
			h.Write([]byte(sc.Name + "/" + s.Name))
			ms.hostid = fmt.Sprintf("%08x", h.Sum32())
		}
		if ms.start, err = at("server "+s.Name+" start", s.Start, base+coldDefault[i]); err != nil {
			return nil, err
		}
		ms.offset = durSec(s.Offset, 0)
		ms.platform = orDefault(s.Platform, platform)
		if ms.platform != "windows" && ms.platform != "linux" {
			return nil, fmt.Errorf("scenario %s: server %s: platform %q: windows or linux", sc.Name, s.Name, ms.platform)
		}
		build := s.Build
		if s.Version == "" && build == "" {
			build = sc.Build
		}
		if ms.ver, err = parseVersion(orDefault(s.Version, verText), build); err != nil {
			return nil, fmt.Errorf("scenario %s: server %s: %v", sc.Name, s.Name, err)
		}
		ms.licPath = sc.LicensePath
		if ms.licPath == "" {
			ms.licPath = `C:\flexlm\license.dat`
			if ms.platform == "linux" {
				ms.licPath = "/opt/flexlm/license.dat"
			}
		}
	}
	m.start = m.servers[0].start
	latest := m.start
	for _, s := range m.servers {
		m.start = min(m.start, s.start)
		latest = max(latest, s.start)
	}
	// Faults.
	last := latest
	for k, f := range sc.Faults {
		for _, d := range []Duration{f.Election, f.Connect, f.Join, f.Duration, f.Every, f.Down} {
			if d < 0 {
				return nil, fmt.Errorf("scenario %s: fault %d (%s): a delay cannot be negative (%s)", sc.Name, k+1, f.Kind, formatDuration(d.D()))
			}
		}
		if f.Repeat < 0 || f.Reason < 0 || f.Reason > 20 {
			return nil, fmt.Errorf("scenario %s: fault %d (%s): repeat must be positive and reason 1 to 20", sc.Name, k+1, f.Kind)
		}
		mf := mfault{Fault: f, idx: k}
		if mf.at, err = at(fmt.Sprintf("fault %d (%s) at", k+1, f.Kind), f.At, 0); err != nil {
			return nil, err
		}
		if f.At == "" {
			return nil, fmt.Errorf("scenario %s: fault %d (%s): no time", sc.Name, k+1, f.Kind)
		}
		known := false
		for _, kind := range Kinds {
			known = known || kind == f.Kind
		}
		if !known {
			return nil, fmt.Errorf("scenario %s: fault %d: unknown kind %q (one of %s)", sc.Name, k+1, f.Kind, strings.Join(Kinds, ", "))
		}
		index := func(name string) int {
			for i, s := range m.servers {
				if strings.EqualFold(s.name, name) {
					return i
				}
			}
			return -1
		}
		cut := f.Servers
		if f.Kind != KindPartition {
			if len(f.Servers) > 0 || f.Until != "" {
				return nil, fmt.Errorf("scenario %s: fault %d (%s): servers and until are for a partition; name the server in \"server\"", sc.Name, k+1, f.Kind)
			}
			cut = []string{f.Server}
		} else if f.Server != "" {
			cut = append([]string{f.Server}, f.Servers...)
		}
		mf.server = -1
		for _, name := range cut {
			i := index(name)
			if i < 0 {
				return nil, fmt.Errorf("scenario %s: fault %d (%s): unknown server %q", sc.Name, k+1, f.Kind, name)
			}
			if mf.cut[i] {
				return nil, fmt.Errorf("scenario %s: fault %d (%s): server %s named twice", sc.Name, k+1, f.Kind, name)
			}
			mf.cut[i] = true
			if mf.server < 0 {
				mf.server = i
			}
		}
		if f.Kind == KindPartition {
			if len(cut) < 1 || len(cut) > 2 {
				return nil, fmt.Errorf("scenario %s: fault %d (partition): name one or two servers in \"servers\" (the network cuts them off from the others)", sc.Name, k+1)
			}
			switch {
			case f.Until != "" && f.Down != 0:
				return nil, fmt.Errorf("scenario %s: fault %d (partition): give until or down, not both", sc.Name, k+1)
			case f.Until != "":
				if mf.until, err = at(fmt.Sprintf("fault %d (partition) until", k+1), f.Until, 0); err != nil {
					return nil, err
				}
			case f.Down != 0:
				mf.until = mf.at + durSec(f.Down, 0)
			default:
				return nil, fmt.Errorf("scenario %s: fault %d (partition): give its end (until) or its length (down)", sc.Name, k+1)
			}
			if mf.until <= mf.at {
				return nil, fmt.Errorf("scenario %s: fault %d (partition): it must end after it begins", sc.Name, k+1)
			}
		}
		if f.Kind == KindOrderMismatch {
			if len(f.Order) != 3 {
				return nil, fmt.Errorf("scenario %s: fault %d (order-mismatch): order must name the three servers", sc.Name, k+1)
			}
			seen := map[string]bool{}
			for _, o := range f.Order {
				if !names[strings.ToLower(o)] || seen[strings.ToLower(o)] {
					return nil, fmt.Errorf("scenario %s: fault %d (order-mismatch): order must name the three servers once each", sc.Name, k+1)
				}
				seen[strings.ToLower(o)] = true
			}
		}
		if f.Kind == KindSplitBrain && mf.server == 2 {
			return nil, fmt.Errorf("scenario %s: fault %d (split-brain): the tertiary can never be master", sc.Name, k+1)
		}
		if mf.at < m.start {
			return nil, fmt.Errorf("scenario %s: fault %d (%s) is before the first server starts", sc.Name, k+1, f.Kind)
		}
		end := mf.at
		if f.Kind == KindVendorExit && f.Repeat > 1 {
			end += int64(f.Repeat-1) * durSec(f.Every, 600)
		}
		if f.Kind == KindPartition {
			end = mf.until
		}
		last = max(last, end)
		m.faults = append(m.faults, mf)
	}
	sort.SliceStable(m.faults, func(i, j int) bool { return m.faults[i].at < m.faults[j].at })
	if m.end, err = at("end", sc.End, last+1800); err != nil {
		return nil, err
	}
	if m.end <= latest {
		return nil, fmt.Errorf("scenario %s: end is before the servers start", sc.Name)
	}
	// lmstat.
	lm := sc.Lmstat
	m.lm.on = !lm.Disabled
	m.lm.interval = durSec(lm.Interval, 60)
	if m.lm.interval < 10 {
		return nil, fmt.Errorf("scenario %s: lmstat interval under 10s", sc.Name)
	}
	m.lm.second = 2
	if lm.Second != nil {
		m.lm.second = int64(*lm.Second)
	}
	if m.lm.second < 0 || m.lm.second >= m.lm.interval || m.lm.second > 59 {
		return nil, fmt.Errorf("scenario %s: lmstat second %d out of range", sc.Name, m.lm.second)
	}
	m.lm.offset = durSec(lm.Offset, 0)
	m.lm.stamps = lm.Stamps
	if m.lm.start, err = at("lmstat start", lm.Start, latest+m.t.coldElection+m.t.connect+60); err != nil {
		return nil, err
	}
	if m.lm.end, err = at("lmstat end", lm.End, m.end); err != nil {
		return nil, err
	}
	m.lm.end = min(m.lm.end, m.end)
	for k, g := range lm.Gaps {
		var from, to int64
		if from, err = at(fmt.Sprintf("lmstat gap %d from", k+1), g[0], 0); err == nil {
			to, err = at(fmt.Sprintf("lmstat gap %d to", k+1), g[1], 0)
		}
		if err != nil {
			return nil, err
		}
		if g[0] == "" || g[1] == "" || to <= from {
			return nil, fmt.Errorf("scenario %s: lmstat gap %d: give [from, to] with to after from", sc.Name, k+1)
		}
		m.lm.gaps = append(m.lm.gaps, [2]int64{from, to})
	}
	m.lm.platform = orDefault(lm.Platform, m.servers[0].platform)
	m.lm.ver = m.servers[0].ver
	// Usage.
	u := sc.Usage
	m.usage.on = !u.Off
	m.features = u.Features
	if len(m.features) == 0 {
		m.features = []Feature{{Name: m.vendor + "_solver", Licenses: 10}, {Name: m.vendor + "_pre", Licenses: 5}, {Name: m.vendor + "_post", Licenses: 5}}
	}
	for i := range m.features {
		f := &m.features[i]
		if f.Name == "" || strings.ContainsAny(f.Name, " \t\"") || f.Licenses < 1 {
			return nil, fmt.Errorf("scenario %s: feature %d: needs a name (one word) and licenses >= 1", sc.Name, i+1)
		}
		if f.Version == "" {
			f.Version = "1.0"
		}
	}
	m.usage.users = u.Users
	if len(m.usage.users) == 0 {
		m.usage.users = makeUsers(intDefault(u.UserCount, 10))
	}
	for _, x := range m.usage.users {
		if i := strings.IndexByte(x, '@'); i <= 0 || i == len(x)-1 || strings.ContainsAny(x, " \t") {
			return nil, fmt.Errorf("scenario %s: user %q: write user@host", sc.Name, x)
		}
	}
	rate := u.Rate
	if rate == 0 {
		rate = 20
	}
	if rate < 0 {
		return nil, fmt.Errorf("scenario %s: usage rate must be positive", sc.Name)
	}
	m.usage.rate = rate / 3600
	m.usage.hold = float64(durSec(u.Hold, 45*60))
	m.usage.multi = u.Multi
	if m.usage.multi == 0 {
		m.usage.multi = 0.05
	}
	return m, nil
}

var surnames = []string{"tanaka", "suzuki", "ito", "nakamura", "kobayashi", "sato", "yamamoto", "takahashi", "watanabe", "kato",
	"yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue", "kimura", "hayashi", "shimizu", "mori"}

// makeUsers makes n distinct user@host names.
func makeUsers(n int) []string {
	out := make([]string, n)
	for i := range out {
		name := surnames[i%len(surnames)]
		if i >= len(surnames) {
			name += strconv.Itoa(i / len(surnames))
		}
		out[i] = fmt.Sprintf("%s@pc-%04d", name, 100+(i*7919)%9900)
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func intDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// parseTime reads "2010-12-01 10:13:10" (or without seconds) in loc, RFC 3339, or "+DURATION"
// after base.
func parseTime(s string, loc *time.Location, base int64) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "+") {
		if base == 0 {
			return 0, fmt.Errorf("%q: a relative time needs a start", s)
		}
		d, err := ParseDuration(s)
		if err != nil {
			return 0, err
		}
		return base + int64(d/time.Second), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Unix(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, fmt.Errorf("bad time %q (write 2010-12-01 10:13:10 in the zone, RFC 3339, or +1h20m after the start)", s)
}
