package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/alecthomas/kong"
	"github.com/lmtriad/lmtriad/samples"
	"github.com/lmtriad/lmtriad/samples/sim"
)

// simulateCmd renders a simulated incident (samples/sim): the three debug logs, the lmstat
// output, the license file, truth.json and a README.md, from a scenario file, a built-in
// scenario or a random one.
type simulateCmd struct {
	Scenario string        `arg:"" name:"scenario" help:"A scenario file (JSON, see samples/sim), the name of a built-in scenario (--list), or 'random'."`
	Output   string        `short:"o" required:"" placeholder:"DIR" help:"Directory to write the incident into (created; must be new or empty)."`
	Seed     int64         `default:"1" placeholder:"N" help:"Seed of the random scenario (with 'random')."`
	Faults   int           `default:"4" placeholder:"N" help:"Number of faults of the random scenario (with 'random')."`
	Big      string        `placeholder:"SIZE" help:"Scale the usage load so that the output is about SIZE (e.g. 1GB, 200MB); for benchmarks, with the busy-month scenario."`
	List     listScenarios `help:"List the built-in scenarios and exit."`
}

// listScenarios is --list: it prints the built-in scenarios before the arguments are checked.
type listScenarios bool

func (listScenarios) BeforeReset(app *kong.Kong) error {
	w := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
	for _, name := range samples.Names() {
		b, _ := samples.Scenario(name)
		sc, err := sim.Parse(b)
		title := ""
		if err != nil {
			title = "error: " + err.Error()
		} else {
			title = sc.Title
			if sc.IsSample() {
				title += " (samples/" + sc.SampleDir() + ")"
			}
		}
		fmt.Fprintf(w, "%s\t%s\n", name, title)
	}
	w.Flush()
	app.Exit(0)
	return nil
}

func (s *simulateCmd) Run(e *env) error {
	var sc sim.Scenario
	switch {
	case s.Scenario == "random":
		if s.Faults < 1 {
			return usageError("--faults must be at least 1")
		}
		sc = sim.Random(s.Seed, sim.RandomOptions{Faults: s.Faults})
	default:
		if b, ok := samples.Scenario(s.Scenario); ok && !strings.ContainsAny(s.Scenario, `/\`) {
			var err error
			if sc, err = sim.Parse(b); err != nil {
				return inputError(err)
			}
			break
		}
		if _, err := os.Stat(s.Scenario); err != nil {
			return usageError("%s: no such scenario file or built-in scenario (lmtriad simulate --list shows them)", s.Scenario)
		}
		var err error
		if sc, err = sim.Load(s.Scenario); err != nil {
			return inputError(err)
		}
	}
	if s.Big != "" {
		size, err := sim.ParseSize(s.Big)
		if err != nil {
			return usageError("--big: %v", err)
		}
		if sc, err = sim.Scale(sc, size); err != nil {
			return inputError(err)
		}
	}
	if entries, err := os.ReadDir(s.Output); err == nil && len(entries) > 0 {
		return usageError("%s is not empty: give a new or empty directory", s.Output)
	}
	tr, err := sim.RenderDir(sc, s.Output)
	if err != nil {
		return inputError(err)
	}
	var files []string
	for _, f := range tr.Files {
		files = append(files, filepath.Join(s.Output, f))
	}
	fmt.Fprintf(e.stdout, "%s: wrote %s, truth.json, README.md\n", sc.Name, strings.Join(files, ", "))
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "true states:\t%s\n", strings.Join(tr.True.States, ", "))
	for _, ev := range []struct{ name, label string }{{"both", "all files show:"}, {"lmstat", "lmstat alone shows:"}, {"logs", "logs alone show:"}} {
		if o := tr.Evidence(ev.name); o != nil {
			fmt.Fprintf(w, "%s\t%s\n", ev.label, strings.Join(o.States, ", "))
		}
	}
	w.Flush()
	fmt.Fprintf(e.stdout, "analyze it: lmtriad analyze --tz %s %s\n", tr.Timezone, s.Output)
	return nil
}
