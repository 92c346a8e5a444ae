package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// CSVHeader names the columns of the CSV report.
var CSVHeader = []string{"start", "end", "seconds", "state", "masters", "down", "unresponsive", "joining", "unknown", "out", "denied", "isolated"}

// CSV writes one row per interval (RFC 4180: quoted where needed, CRLF line ends). Server
// lists are separated by semicolons; names and states are the JSON report's, in English. Every
// cell goes through CSVCell: control characters shown visibly, formulas neutralised.
func CSV(w io.Writer, r *analyze.Report, o Options) error {
	r = cleanReport(r)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, iv := range r.Intervals {
		by := map[analyze.Status][]string{}
		for _, s := range iv.Servers {
			by[s.Status] = append(by[s.Status], s.Server)
		}
		start, end := o.ts(iv.Start), o.ts(iv.End)
		if iv.Start.IsZero() { // a snapshot pasted without its header
			start, end = catalog.English(msg.New("ui.untimed")), ""
		}
		row := []string{start, end, fmt.Sprintf("%.0f", iv.Duration().Seconds()), string(iv.State),
			strings.Join(iv.Masters, ";"), strings.Join(by[analyze.StatusDown], ";"), strings.Join(by[analyze.StatusUnresponsive], ";"),
			strings.Join(by[analyze.StatusJoining], ";"), strings.Join(by[analyze.StatusUnknown], ";"),
			fmt.Sprint(iv.Usage.Out), fmt.Sprint(iv.Usage.Denied), strings.Join(by[analyze.StatusIsolated], ";")}
		for i := range row {
			row[i] = CSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
