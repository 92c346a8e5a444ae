package parser

import (
	"fmt"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// SyntaxError reports a line that matched no known form, or a value that could not be read.
// It is a warning: readers go on after it. Msg is a code (warn.line.*) with its arguments; the
// wording is the catalogue's (report/catalog).
type SyntaxError struct {
	File string
	Line int // 1-based
	Msg  msg.Text
}

// Error is a debugging form, FILE:LINE: code{arguments}: users read Msg rendered by the
// catalogue.
func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }
