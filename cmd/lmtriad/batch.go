package main

import "errors"

// batchCmd triages many incidents at once. (Being written: see issue 4.)
type batchCmd struct {
	Paths []string `arg:"" name:"path" help:"Incidents: each directory or bundle is one."`
}

func (e *env) batch(b *batchCmd) (int, error) {
	return exitError, errors.New("batch: not available yet")
}
