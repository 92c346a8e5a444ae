// Command gen renders the simulated samples: every built-in scenario (samples/scenarios/*.json)
// whose "sample" is not false, into samples/<dir>/ with its truth.json and README.md. go
// generate runs it in samples/ (see samples/generate.go). It only replaces directories it made
// itself (those holding a truth.json), so the hand-made samples/kgtn-2010120101 is never touched.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lmtriad/lmtriad/samples"
	"github.com/lmtriad/lmtriad/samples/sim"
)

func main() {
	out := flag.String("o", ".", "the samples directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	for _, name := range samples.Names() {
		b, _ := samples.Scenario(name)
		sc, err := sim.Parse(b)
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		if !sc.IsSample() {
			continue
		}
		dir := filepath.Join(out, sc.SampleDir())
		if err := clear(dir); err != nil {
			return err
		}
		tr, err := sim.RenderDir(sc, dir)
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		fmt.Printf("%-28s %v\n", sc.SampleDir(), tr.Observed.Both.States)
	}
	return nil
}

// clear empties a directory the generator made before (one with a truth.json).
func clear(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "truth.json")); err != nil {
		if len(entries) == 0 {
			return nil
		}
		return fmt.Errorf("%s exists and was not made by the simulator (no truth.json): not replacing it", dir)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
