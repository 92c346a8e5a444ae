package main

import (
	"os"
	"testing"
)

// TestTextWidth: --width, then COLUMNS, then the terminal, then 100; never under 60.
func TestTextWidth(t *testing.T) {
	tty := func(w int) func() (int, bool) { return func() (int, bool) { return w, true } }
	noTTY := func() (int, bool) { return 0, false }
	for _, tc := range []struct {
		name    string
		flag    int
		columns string
		term    func() (int, bool)
		want    int
	}{
		{"nothing", 0, "", noTTY, 100},
		{"terminal", 0, "", tty(132), 132},
		{"COLUMNS over the terminal", 0, "80", tty(132), 80},
		{"--width over COLUMNS", 120, "80", tty(132), 120},
		{"--width without a terminal", 90, "", noTTY, 90},
		{"COLUMNS with spaces", 0, " 72 ", noTTY, 72},
		{"COLUMNS not a number", 0, "wide", tty(132), 132},
		{"COLUMNS zero", 0, "0", noTTY, 100},
		{"a terminal of no width", 0, "", tty(0), 100},
		{"narrow --width", 40, "", noTTY, 60},
		{"narrow COLUMNS", 0, "20", noTTY, 60},
		{"narrow terminal", 0, "", tty(45), 60},
		{"negative --width", -5, "80", noTTY, 60},
	} {
		getenv := func(k string) string {
			if k == "COLUMNS" {
				return tc.columns
			}
			return ""
		}
		if got := textWidth(tc.flag, getenv, tc.term); got != tc.want {
			t.Errorf("%s: textWidth = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestTerminalWidth: a file that is not a terminal has no width.
func TestTerminalWidth(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if w, ok := terminalWidth(f); ok {
		t.Errorf("a plain file has terminal width %d", w)
	}
}
