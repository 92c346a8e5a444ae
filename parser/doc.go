// Package parser turns the evidence of a FlexLM / FlexNet Publisher triad into records.
//
// It reads three kinds of text, each detected from its content rather than its name:
//
//   - debug logs written by lmgrd and its vendor daemons (lmgrd -l FILE), whose lines carry a
//     time of day but no date: dates are rebuilt from banners, TIMESTAMP lines, "System Date"
//     and SLOG lines, and from the clock going backwards at midnight;
//   - lmstat snapshots (lmutil lmstat -a), many per file, each with its server and vendor
//     daemon status lines;
//   - license files, whose SERVER lines name the triad and its master order.
//
// Every reader streams from an io.Reader plus a name used only in messages, never holds a whole
// file, and reports malformed lines as *SyntaxError warnings with file:line instead of failing.
// Its messages (line warnings, why a file is skipped, errors about paths) are codes with
// arguments (package parser/msg), never wording: report/catalog words them in every language.
// Read is the entry point that detects the kind and returns a File; the Log, Lmstat and License
// readers underneath can be used on their own (tests feed them strings).
package parser
