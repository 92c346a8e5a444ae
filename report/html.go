package report

import (
	"errors"
	"io"

	"github.com/lmtriad/lmtriad/analyze"
)

// HTML writes a self-contained HTML report with an SVG timeline. (Being written: issue 4.)
func HTML(w io.Writer, r *analyze.Report, o Options) error {
	return errors.New("html: not available yet")
}
