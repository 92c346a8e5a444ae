package report

import (
	"fmt"
	"io"

	"github.com/lmtriad/lmtriad/analyze"
)

// Formats are the single-report formats, by name: the one list the command line offers.
var Formats = []string{"text", "json", "markdown", "html", "csv"}

// TimelineFormats are the formats of the merged timeline.
var TimelineFormats = []string{"text", "json"}

// Extensions are the file extensions of the formats, for files a command names itself.
var Extensions = map[string]string{"text": ".txt", "json": ".json", "markdown": ".md", "html": ".html", "csv": ".csv"}

// Write renders a report in the named format.
func Write(w io.Writer, format string, r *analyze.Report, o Options) error {
	switch format {
	case "text":
		return Text(w, r, o)
	case "json":
		return JSON(w, r, o, false)
	case "markdown":
		return Markdown(w, r, o)
	case "html":
		return HTML(w, r, o)
	case "csv":
		return CSV(w, r, o)
	}
	return fmt.Errorf("unknown format %q (%v)", format, Formats)
}
