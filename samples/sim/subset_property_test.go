package sim_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/samples/sim"
)

// The subset property (TRIAD.md section 4, "Less evidence, never a wrong state"; issue 15):
// any part of an incident's evidence gives, at every instant, the true state, a coarser one
// (degraded where the truth is failed-rejoin: without the returning server's own log or lmstat
// a stuck return looks like a server that is not up), or unknown; never another state. Near a
// true change there is slack: max(180 s, 2 x lmstat interval) plus the largest clock offset of
// the incident (which a part may be unable to measure).
//
// TestSubsetProperty draws random incidents with partitions and the hostile variations of
// TestProperty (skewed clocks, close faults, lmstat gaps, DST), analyses parts of each one's
// files as the command line does, and samples the instants every 30 s. A part that gives a
// wrong state fails the test, with the seed and a command that reproduces it.
//
// It also prints, over all parts, the share of the checked time that the part covers
// (Truth.Coverage: a log from its first to its last line, lmstat while its snapshots run)
// which the analysis gives a triad state (not unknown), beside the share that Observe (the
// simulator's own reading of TRIAD.md's rules, written apart from the analyzer) gives: the
// most the rules let a part say. The test fails when the analyzer's share falls more than a
// point below Observe's, so that unknown everywhere, or anywhere the rules allow a state,
// does not pass. Issue 15 asked for 80% of the covered time; TRIAD.md's rules (a log speaks
// of its server from its first to its last line only, says nothing of its peers while its
// server is down, isolated or silent, and a peer's link cannot be ended by a line when it
// was never made) allow about 71% over these incidents (about 58% over those with close
// faults, 80% over the others): the figure is printed, the rules decide.
//
// The normal run checks seeds 1 to 500 (100 with -short) and subsetRegressionSeeds;
// LMTRIAD_SUBSET_COUNT=N checks 1 to N, -seed N or LMTRIAD_SUBSET_SEEDS=N only those.

// subsetRegressionSeeds run on every run of TestSubsetProperty: seeds that failed and were
// fixed (those past the default range matter most), so that a fix that regresses is caught:
// 15, 84, 107, 223, 292: a hung return killed later read as a failed rejoin from a peer's
// Cannot connect line; 27, 177, 429, 470, 1661, 2929: -16 or an unseen server that may be a
// cold start; 349: no-quorum read as masterless; 562: a master selected through a peer, never
// linked; 558, 794, 1653, 2167: lmstat runs missed within its coverage; 1301: a return seen
// again after an lmstat gap; 1009, 2653: the repeated DST hour; 4232: a cold start read where
// a server silent before its banner may have run (isolated) after another's return; 4204: a
// -16 server whose restart between two lmstat runs nobody saw, so that a cold start was possible.
var subsetRegressionSeeds = []int64{15, 84, 107, 223, 292, 27, 177, 429, 470, 1661, 2929, 349, 562, 558, 794, 1653, 2167, 1301, 1009, 2653, 4232, 4204}

var (
	subsetSeedFlag = flag.String("seed", "", "TestSubsetProperty: check only these seeds (N or N,M,...; also LMTRIAD_SUBSET_SEEDS)")
	subsetOut      = flag.String("subset-out", "", "TestSubsetProperty: render each scenario it checks into DIR/seed-N (with scenario.json, truth.json and README.md)")
)

const (
	subsetDefaultCount = 500
	subsetStep         = 30   // seconds between sampled instants
	subsetTargetShare  = 0.80 // issue 15's target, printed (TRIAD.md's rules allow less: see above)
	subsetShortCount   = 100
	subsetPartitions   = 0.3 // the chance that a drawn fault is a network partition
)

// subsetPart is one part of an incident's evidence.
type subsetPart struct {
	name  string   // e.g. "lic-a.log+license.dat"
	kind  string   // "log", "log+license", "pair+license", "logs+license", "lmstat+license"
	files []string // as Render wrote them
}

// subsetParts: each server's log alone; each with the license file; each pair of logs with
// the license file; all logs with the license file (no lmstat); lmstat with the license file.
func subsetParts(tr sim.Truth) []subsetPart {
	var logs []string
	for _, s := range tr.Servers {
		logs = append(logs, s.Log)
	}
	var out []subsetPart
	for _, l := range logs {
		out = append(out, subsetPart{l, "log", []string{l}})
	}
	for _, l := range logs {
		out = append(out, subsetPart{l + "+license.dat", "log+license", []string{"license.dat", l}})
	}
	for i := range logs {
		for j := i + 1; j < len(logs); j++ {
			out = append(out, subsetPart{logs[i] + "+" + logs[j] + "+license.dat", "pair+license", []string{"license.dat", logs[i], logs[j]}})
		}
	}
	out = append(out, subsetPart{"logs+license.dat", "logs+license", append([]string{"license.dat"}, logs...)})
	if tr.Lmstat != nil && tr.Lmstat.Snapshots > 0 {
		out = append(out, subsetPart{"lmstat.log+license.dat", "lmstat+license", []string{"license.dat", "lmstat.log"}})
	}
	return out
}

// referenceOffset is the clock the analyzer reports a part's times on (TRIAD.md section 6): the
// first SERVER host whose log is in the part, else the lmstat host; its offset from true time.
func referenceOffset(tr sim.Truth, files []string) int64 {
	for _, s := range tr.Servers {
		for _, f := range files {
			if f == s.Log {
				return s.OffsetSeconds
			}
		}
	}
	if tr.Lmstat != nil {
		return tr.Lmstat.OffsetSeconds
	}
	return 0
}

// subsetSlack is max(180 s, 2 x lmstat interval) plus the incident's largest clock offset. For
// a part with lmstat, the interval is the longest time between two runs that its coverage
// bridges (TRIAD.md 4: runs at most three median intervals apart): a run or two missed
// stretch the time lmstat takes to show a change; a run without a stamp line is known only to
// its minute.
func subsetSlack(tr sim.Truth, files []string) int64 {
	off := int64(0)
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	for _, s := range tr.Servers {
		off = max(off, abs(s.OffsetSeconds))
	}
	slack := tr.ToleranceSeconds
	if l := tr.Lmstat; l != nil {
		off = max(off, abs(l.OffsetSeconds))
		if slices.Contains(files, l.File) {
			for _, g := range l.Gaps {
				// the runs either side of a gap are one interval outside it
				if d := int64(g.End.Sub(g.Start)/time.Second) + l.IntervalSeconds; d <= 3*l.IntervalSeconds {
					slack = max(slack, d)
				}
			}
			if !l.Stamps {
				slack += 60 // a run without a stamp line is known to its printed minute
			}
		}
	}
	return slack + off
}

// allowed tells whether a part may give the analyzed state where the truth is want.
func allowed(want, got string) bool {
	return got == want || got == sim.Unknown || (want == sim.FailedRejoin && got == sim.Degraded)
}

// subsetMiss is a run of sampled instants at which one part gave a wrong state.
type subsetMiss struct {
	seed        int64
	part        subsetPart
	from, to    time.Time // true time of the first and last wrong instant
	ref         int64     // the part's reference clock offset
	want, got   string
	instants    int
	situation   string // what the truth was doing: the partitions and the story around
	description string
}

// subsetResult is what one seed gives.
type subsetResult struct {
	seed            int64
	checked, stated map[string]int // covered instants checked, and given a triad state, by part kind
	all, allStated  map[string]int // every instant checked, and given a triad state
	observed        map[string]int // covered instants that Truth.Observe gives a triad state
	misses          []subsetMiss
	errs            []string
}

// analyzePart runs the analyzer on a part as the command line does. An inconclusive analysis
// (not a triad, too little evidence) still gives what it could establish.
func analyzePart(dir string, tr sim.Truth, files []string) (*analyze.Report, error) {
	loc, err := time.LoadLocation(tr.Timezone)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	fs, err := parser.ReadPaths(paths, parser.Options{Location: loc})
	if err != nil {
		return nil, fmt.Errorf("ReadPaths: %v", err)
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: loc, RejoinGrace: time.Duration(tr.RejoinGraceSeconds) * time.Second})
	if err != nil && !errors.Is(err, analyze.ErrNotTriad) && !errors.Is(err, analyze.ErrNoEvidence) {
		return nil, fmt.Errorf("Analyze: %v", err)
	}
	if rep == nil {
		return nil, fmt.Errorf("Analyze: no report (%v)", err)
	}
	return rep, nil
}

// stateAt is the state of the intervals at instant x (Unix seconds), unknown outside them.
func stateAt(ivs []analyze.Interval, x int64) string {
	for _, iv := range ivs {
		if !iv.Start.IsZero() && !iv.End.IsZero() && iv.Start.Unix() <= x && x < iv.End.Unix() {
			return string(iv.State)
		}
	}
	return sim.Unknown
}

func trueStateAt(ivs []sim.Interval, x int64) string {
	for _, iv := range ivs {
		if iv.Start.Unix() <= x && x < iv.End.Unix() {
			return iv.State
		}
	}
	return sim.Unknown
}

// situation says what the truth was doing around a span, for the failure report.
func situation(tr sim.Truth, from, to time.Time) string {
	var parts []string
	for _, p := range tr.Partitions {
		if p.Start.Before(to.Add(30*time.Minute)) && p.End.After(from.Add(-30*time.Minute)) {
			parts = append(parts, fmt.Sprintf("partition %s|%s %s-%s", strings.Join(p.Servers, ","), strings.Join(p.Others, ","),
				p.Start.Format("15:04:05"), p.End.Format("15:04:05")))
		}
	}
	var story []string
	for _, n := range tr.Story {
		if !n.At.Before(from.Add(-20*time.Minute)) && !n.At.After(to) {
			story = append(story, n.At.Format("15:04:05")+" "+n.What)
		}
	}
	if len(story) > 4 {
		story = story[len(story)-4:]
	}
	return strings.Join(append(parts, story...), "; ")
}

// checkSubsetSeed renders the seed's incident and checks every part of its evidence.
func checkSubsetSeed(t *testing.T, seed int64) subsetResult {
	res := subsetResult{seed: seed, checked: map[string]int{}, stated: map[string]int{}, all: map[string]int{}, allStated: map[string]int{}, observed: map[string]int{}}
	v := variationOf(seed)
	v.opts.Partitions = subsetPartitions
	sc := sim.Random(seed, v.opts)
	dir := t.TempDir()
	if *subsetOut != "" {
		dir = filepath.Join(*subsetOut, fmt.Sprintf("seed-%d", seed))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "scenario.json"), sc.JSON(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := sim.RenderDir(sc, dir)
	if err != nil {
		t.Fatalf("seed %d: Render: %v", seed, err)
	}
	var changes []int64
	for k, iv := range tr.True.Intervals {
		if k == 0 || iv.State != tr.True.Intervals[k-1].State {
			changes = append(changes, iv.Start.Unix())
		}
	}
	near := func(x, slack int64) bool {
		k := sort.Search(len(changes), func(k int) bool { return changes[k] > x })
		return (k > 0 && x-changes[k-1] <= slack) || (k < len(changes) && changes[k]-x <= slack)
	}
	start, end := tr.Start.Unix(), tr.End.Unix()
	for _, part := range subsetParts(tr) {
		rep, err := analyzePart(dir, tr, part.files)
		if err != nil {
			res.errs = append(res.errs, fmt.Sprintf("%s: %v", part.name, err))
			continue
		}
		ref := referenceOffset(tr, part.files)
		slack := subsetSlack(tr, part.files)
		cover, err := tr.Coverage(part.files)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := tr.Observe(part.files)
		if err != nil {
			t.Fatal(err)
		}
		covered := func(x int64) bool {
			for _, c := range cover {
				if c.Start.Unix() <= x && x < c.End.Unix() {
					return true
				}
			}
			return false
		}
		var cur *subsetMiss
		flush := func() {
			if cur != nil {
				cur.situation = situation(tr, cur.from, cur.to)
				res.misses = append(res.misses, *cur)
				cur = nil
			}
		}
		for x := start; x < end; x += subsetStep {
			if near(x, slack) {
				flush()
				continue
			}
			want := trueStateAt(tr.True.Intervals, x)
			got := stateAt(rep.Intervals, x+ref)
			res.all[part.kind]++
			if got != sim.Unknown {
				res.allStated[part.kind]++
			}
			if covered(x) {
				res.checked[part.kind]++
				if got != sim.Unknown {
					res.stated[part.kind]++
				}
				if trueStateAt(obs.Intervals, x+obs.ReferenceOffsetSeconds) != sim.Unknown {
					res.observed[part.kind]++
				}
			}
			if allowed(want, got) {
				flush()
				continue
			}
			at := time.Unix(x, 0).In(tr.Start.Location())
			if cur != nil && (cur.want != want || cur.got != got) {
				flush()
			}
			if cur == nil {
				cur = &subsetMiss{seed: seed, part: part, from: at, ref: ref, want: want, got: got, description: v.describe(sc, tr)}
			}
			cur.to = at
			cur.instants++
		}
		flush()
	}
	return res
}

// subsetSeedList is the seeds to check and whether the gated sweep runs.
func subsetSeedList(t *testing.T) (seeds []int64, sweep bool) {
	named := *subsetSeedFlag
	if named == "" {
		named = os.Getenv("LMTRIAD_SUBSET_SEEDS")
	}
	seen := map[int64]bool{}
	add := func(s int64) {
		if !seen[s] {
			seen[s] = true
			seeds = append(seeds, s)
		}
	}
	for _, s := range subsetRegressionSeeds {
		add(s)
	}
	if named != "" {
		for _, f := range strings.FieldsFunc(named, func(r rune) bool { return r == ',' || r == ' ' }) {
			s, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				t.Fatalf("-seed / LMTRIAD_SUBSET_SEEDS: %q is not a seed", f)
			}
			add(s)
		}
		return seeds, false
	}
	n := subsetDefaultCount
	if testing.Short() {
		n = subsetShortCount
	}
	if c := os.Getenv("LMTRIAD_SUBSET_COUNT"); c != "" {
		var err error
		if n, err = strconv.Atoi(c); err != nil || n < 1 {
			t.Fatalf("LMTRIAD_SUBSET_COUNT=%q: give a number of seeds", c)
		}
	}
	for s := int64(1); s <= int64(n); s++ {
		add(s)
	}
	return seeds, true
}

func TestSubsetProperty(t *testing.T) {
	seeds, sweep := subsetSeedList(t)
	began := time.Now()
	var mu sync.Mutex
	var results []subsetResult
	t.Run("seeds", func(t *testing.T) {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
				t.Parallel()
				res := checkSubsetSeed(t, seed)
				mu.Lock()
				results = append(results, res)
				mu.Unlock()
				for _, e := range res.errs {
					t.Errorf("seed %d: %s", seed, e)
				}
				if len(res.misses) == 0 {
					return
				}
				var b strings.Builder
				fmt.Fprintf(&b, "seed %d (%s): wrong states in %d spans:\n", seed, res.misses[0].description, len(res.misses))
				for k, m := range res.misses {
					if k == 12 {
						fmt.Fprintf(&b, "  ... and %d more\n", len(res.misses)-k)
						break
					}
					fmt.Fprintf(&b, "  %s: from %s to %s (true time; %+ds on the part's clock, %d instants) true %s, analyzed %s\n    around: %s\n",
						m.part.name, m.from.Format(time.RFC3339), m.to.Format("15:04:05"), m.ref, m.instants, m.want, m.got, m.situation)
				}
				fmt.Fprintf(&b, "reproduce: go test ./samples/sim -run TestSubsetProperty -seed %d -v (or LMTRIAD_SUBSET_SEEDS=%d; add -subset-out DIR to keep the files)", seed, seed)
				t.Error(b.String())
			})
		}
	})
	sort.Slice(results, func(i, j int) bool { return results[i].seed < results[j].seed })
	summary, share, observed := subsetSummary(results)
	t.Logf("%d incidents in %v\n%s(issue 15's target: %.0f%% of the covered time; the rules allow %.1f%%)",
		len(results), time.Since(began).Round(time.Second), summary, 100*subsetTargetShare, 100*observed)
	if sweep && share < observed-0.01 {
		t.Errorf("the parts give a triad state (not unknown) for %.1f%% of the covered time, more than a point below the %.1f%% that TRIAD.md's rules allow (Observe)", 100*share, 100*observed)
	}
}

// subsetSummary is the share of the checked time given a triad state, by part kind and over
// all, and the wrong states grouped by part kind and true -> analyzed state.
func subsetSummary(results []subsetResult) (string, float64, float64) {
	checked, stated, all, allStated, observed := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	type key struct{ kind, want, got string }
	groups := map[key][]subsetMiss{}
	failing := 0
	for _, r := range results {
		for k, n := range r.checked {
			checked[k] += n
			stated[k] += r.stated[k]
			observed[k] += r.observed[k]
		}
		for k, n := range r.all {
			all[k] += n
			allStated[k] += r.allStated[k]
		}
		if len(r.misses) > 0 || len(r.errs) > 0 {
			failing++
		}
		for _, m := range r.misses {
			k := key{m.part.kind, m.want, m.got}
			groups[k] = append(groups[k], m)
		}
	}
	var b strings.Builder
	pct := func(a, n int) float64 { return 100 * float64(a) / float64(max(n, 1)) }
	var kinds []string
	for k := range all {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Fprintf(&b, "given a triad state (not unknown), sampled every %ds outside the slack around true changes:\n", subsetStep)
	fmt.Fprintf(&b, "  %-15s %-28s %-28s %s\n", "part", "of the time the part covers", "of all the checked time", "(Observe, of the covered time)")
	var total, given, totalAll, givenAll, obs int
	for _, k := range kinds {
		total, given, totalAll, givenAll, obs = total+checked[k], given+stated[k], totalAll+all[k], givenAll+allStated[k], obs+observed[k]
		fmt.Fprintf(&b, "  %-15s %5.1f%% of %-18d %5.1f%% of %-18d %5.1f%%\n", k, pct(stated[k], checked[k]), checked[k], pct(allStated[k], all[k]), all[k], pct(observed[k], checked[k]))
	}
	share := float64(given) / float64(max(total, 1))
	fmt.Fprintf(&b, "  %-15s %5.1f%% of %-18d %5.1f%% of %-18d %5.1f%%\n", "all parts", 100*share, total, pct(givenAll, totalAll), totalAll, pct(obs, total))
	fmt.Fprintf(&b, "incidents with a wrong state or an error: %d of %d\n", failing, len(results))
	var keys []key
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(groups[keys[i]]) != len(groups[keys[j]]) {
			return len(groups[keys[i]]) > len(groups[keys[j]])
		}
		return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j])
	})
	for _, k := range keys {
		ms := groups[k]
		seeds := map[int64]bool{}
		instants := 0
		var examples []string
		for _, m := range ms {
			instants += m.instants
			if !seeds[m.seed] && len(examples) < 5 {
				examples = append(examples, strconv.FormatInt(m.seed, 10))
			}
			seeds[m.seed] = true
		}
		fmt.Fprintf(&b, "  %-15s true %-13s analyzed %-13s %4d spans, %5d instants, %3d seeds, e.g. %s\n",
			k.kind, k.want, k.got, len(ms), instants, len(seeds), strings.Join(examples, ","))
	}
	return b.String(), share, float64(obs) / float64(max(total, 1))
}
