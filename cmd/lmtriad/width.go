package main

import (
	"os"
	"strconv"
	"strings"

	"github.com/lmtriad/lmtriad/report"
	"golang.org/x/term"
)

// textWidth decides how many display columns the text report fits in: --width when given
// (flag, 0 when it is not), else the COLUMNS environment variable when it holds a positive
// number, else the terminal's width when standard output is a terminal (termWidth, see
// terminalWidth), else report.DefaultWidth (100); never less than report.MinWidth (60).
func textWidth(flag int, getenv func(string) string, termWidth func() (int, bool)) int {
	w := report.DefaultWidth
	if flag != 0 {
		w = flag
	} else if n, err := strconv.Atoi(strings.TrimSpace(getenv("COLUMNS"))); err == nil && n > 0 {
		w = n
	} else if n, ok := termWidth(); ok && n > 0 {
		w = n
	}
	return max(w, report.MinWidth)
}

// terminalWidth is the width in columns of the terminal f writes to; false when f is not a
// terminal (a file, a pipe) or its size cannot be read.
func terminalWidth(f *os.File) (int, bool) {
	w, _, err := term.GetSize(int(f.Fd()))
	return w, err == nil && w > 0
}
