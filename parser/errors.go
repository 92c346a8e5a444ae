package parser

import "fmt"

// SyntaxError reports a line that matched no known form, or a value that could not be read.
// It is a warning: readers go on after it.
type SyntaxError struct {
	File string
	Line int // 1-based
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }
