// Command lmtriad rebuilds what happened to a FlexLM / FlexNet Publisher three-server triad from
// the evidence collected after an incident: the three servers' debug logs, lmstat snapshots and
// the license file. It merges them into one timeline, classifies every interval (normal,
// degraded, masterless, dual-master, failed-rejoin, no-quorum, starting, unknown) and prints a
// diagnosis with the evidence lines behind it.
//
// Usage:
//
//	lmtriad analyze [flags] PATH...   diagnose an incident (files, directories or bundles)
//	lmtriad timeline [flags] PATH...  replay every triad event with the state after it
//	lmtriad batch [flags] PATH...     triage many incidents, each PATH one incident
//	lmtriad simulate SCENARIO -o DIR  render a simulated incident and its true states
//	lmtriad collect -c LIST -o DIR    record lmstat every minute, stamped, into one file a day
//	lmtriad check [flags] PATH...     say the triad's state now, as a monitoring plugin
//	lmtriad redact PATH... -o OUT     write the inputs again without the site's names
//	lmtriad version
//
// Exit codes: 0 no warning or critical finding; 1 at least one warning or critical finding;
// 2 usage or input error (nothing could be analysed); 3 inputs read but too little evidence
// to classify anything, or not a triad. check has the Monitoring Plugins codes instead: 0 OK,
// 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
//
// Example:
//
//	lmtriad analyze samples/kgtn-2010120101
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	// The live data of even a month of logs is small (the readers stream): a soft limit keeps
	// the garbage collector from letting the heap grow to twice that. GOMEMLIMIT overrides.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(40 << 20)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
