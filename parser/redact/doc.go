// Package redact writes the inputs of an incident again with every name of the site replaced
// by a pseudonym, so that a customer can send them to support; and puts the names back into a
// report that comes back (issue 12, `lmtriad redact`).
//
// A run reads the inputs twice, as the parser finds them (files, folders, archives; parser.ReadRaw),
// streaming, a line at a time. Collect reads the forms of every line (recognize.go: where a debug
// log, an lmstat output or a license file puts a host, a user, a signature) and the free text
// around them (generic.go: IP and e-mail addresses, port@host, home folders), records each token
// with its kind, and then gives each a pseudonym (Table.Finish). Write reads every input again and
// writes it with the tokens replaced: where a form says a token is, and as a word anywhere else
// (in paths, comments, lines of unknown wording, file and folder names). The final scan (ScanDir,
// ScanArchive) reads back what was written, raw and decoded, and finds any token left.
//
// Tokens and pseudonyms, by kind:
//
//   - server names (server-a, server-b, ... in the alphabetical order of the real names, which the
//     analysis breaks ties by), other hosts (host-001), workstations (ws-001), displays
//     (display-001), users (user-001): every spelling of one name is one token, compared without
//     case; a pseudonym is spelled in the case of the name it stands for (LIC-A: SERVER-A), so that
//     lmstat's two spellings of one host stay two. An FQDN is its host and its domain, each
//     replaced (lic-a.corp.example.com: server-a.dom1.example); port@host keeps its port.
//   - domains (dom1.example), IPv4 addresses (192.0.2.x, 198.51.100.x, 203.0.113.x), e-mail
//     addresses (mail-001@dom1.example), hostids (same length: 000000000001), feature names with
//     --features (feature-001).
//   - secrets, which no report shows: SIGN=, SIGN2= and license keys become zeros, VENDOR_STRING,
//     NOTICE, SN and the like x (X in capitals) and 0, each of the same length.
//
// A token that is also an ordinary word of the logs (a word the parser or the analysis compares
// lines with, a vendor daemon's name, a word of a date or zone name, a feature name without
// --features, anything shorter than three characters, anything spelled only with x, X and 0 as
// the dummies of secrets are, such as a hostid masked by hand: ID=XXXXXX) is replaced only where
// a form says it is a name: elsewhere the word is the word, and the scan does not look for it.
//
// Vendor daemon and feature names, versions, times, ports and error codes stay: support needs
// them. Line structure, line endings and encodings stay: a line is decoded (UTF-8 is not even
// decoded; Shift_JIS and UTF-16 are, losslessly: bytes that are not characters are carried
// through), redacted, and encoded again; a byte order mark and leading NUL bytes are copied. So
// the redacted incident analyses as the original does: the same triad, clocks, intervals,
// findings and verdict, names mapped (property_test.go).
//
// The pseudonyms of a run can be kept in a map (WriteMap, ReadMap): a later run with it gives the
// same names the same pseudonyms, and Reverse puts the names back into a report in any of
// lmtriad's formats, escaped as the format needs (JSON strings, HTML, Markdown prose, CSV fields).
//
// What it cannot know it cannot replace: a name that no form shows and no rule of free text finds
// (a customer's name in a comment, a host named only in a line of unknown wording) is left. Files
// of no known kind (notes, screenshots) are not written at all.
package redact
