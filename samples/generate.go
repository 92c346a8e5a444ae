package samples

// The simulated samples (every scenario in scenarios/ whose "sample" is not false) are rendered
// by the simulator into samples/<dir>/ and checked in; TestGenerated in samples/sim checks that
// they are up to date.
//
//go:generate go run ./gen
