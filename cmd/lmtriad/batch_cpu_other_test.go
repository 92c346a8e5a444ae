//go:build !unix

package main

import "time"

// processCPU is not measured here: BenchmarkBatch200 reports no "cores" figure.
func processCPU() (time.Duration, bool) { return 0, false }
