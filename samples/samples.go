// Package samples holds the bundled incidents: the hand-made samples/kgtn-2010120101, and the
// simulated ones that `go generate ./samples/...` renders from the scenario files in
// samples/scenarios (see samples/sim). This package embeds those scenario files, so that the
// command line knows them by name.
package samples

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed scenarios/*.json
var scenarios embed.FS

// Names lists the built-in scenarios.
func Names() []string {
	entries, err := fs.ReadDir(scenarios, "scenarios")
	if err != nil {
		panic(err)
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Scenario returns the scenario file of a built-in scenario.
func Scenario(name string) ([]byte, bool) {
	b, err := scenarios.ReadFile("scenarios/" + name + ".json")
	return b, err == nil
}
