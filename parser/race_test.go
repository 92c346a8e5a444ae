//go:build race

package parser_test

// raceEnabled: the race detector drops some of what a sync.Pool is given, so allocation
// counts mean nothing under it.
const raceEnabled = true
