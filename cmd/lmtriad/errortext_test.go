package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// TestErrorText: a *parser.PathError, whose message is a code, is shown in English through the
// catalogue wherever it is in the error; other errors read as they say.
func TestErrorText(t *testing.T) {
	pe := &parser.PathError{Path: "srv-b", Msg: msg.New("error.nothing-in-folder.one")}
	want := "srv-b: no debug log, lmstat output or license file in this directory (1 file looked at)"
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"as it is", pe, want},
		{"with its exit code", inputError(pe), want},
		{"wrapped with more words", fmt.Errorf("incident 3: %w", pe), "incident 3: " + want},
		{"wrapped twice", inputError(fmt.Errorf("incident 3: %w", pe)), "incident 3: " + want},
		{"another error", usageError("--jobs must be 0 (every CPU) or more"), "--jobs must be 0 (every CPU) or more"},
		{"a plain error", errors.New("disk full"), "disk full"},
	} {
		if got := errorText(tc.err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
