package main

import "errors"

// simulateCmd renders a simulated incident. (Being written: see issue 5.)
type simulateCmd struct {
	Scenario string `arg:"" name:"scenario" help:"A scenario file, or the name of a built-in scenario."`
	Output   string `short:"o" required:"" placeholder:"DIR" help:"Directory to write the incident into."`
}

func (e *env) simulate(s *simulateCmd) (int, error) {
	return exitError, errors.New("simulate: not available yet")
}
