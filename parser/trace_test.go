package parser_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// Options.Trace adds up each stage's time over the files read with it, and changes nothing read.
func TestTrace(t *testing.T) {
	data := usageLog(2000, 20)
	var tr parser.Trace
	with, err := parser.Read(bytes.NewReader(data), "in", parser.Options{Location: time.UTC, Trace: &tr})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Read <= 0 || tr.Hash <= 0 || tr.Parse <= 0 || tr.Fold <= 0 {
		t.Errorf("trace: read %v hash %v parse %v fold %v: a stage has no time", tr.Read, tr.Hash, tr.Parse, tr.Fold)
	}
	first := tr.Parse
	if _, err := parser.Read(bytes.NewReader(data), "in", parser.Options{Location: time.UTC, Trace: &tr}); err != nil {
		t.Fatal(err)
	}
	if tr.Parse <= first {
		t.Errorf("trace: parse %v after a second file, %v after the first: not added up", tr.Parse, first)
	}
	without, err := parser.Read(bytes.NewReader(data), "in", parser.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if with.SHA256 != without.SHA256 || with.Lines != without.Lines || len(with.Usage) != len(without.Usage) {
		t.Errorf("read with a trace: %s %d lines %d minutes; without: %s %d %d", with.SHA256, with.Lines, len(with.Usage), without.SHA256, without.Lines, len(without.Usage))
	}
}
