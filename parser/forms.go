package parser

import "bytes"

// The line forms, for tools that rewrite lines rather than read them (parser/redact): the same
// functions the readers use, so that such a tool finds the hosts, users and vendor daemons of a
// line exactly where the readers find them.

// Envelope reads the envelope of a debug-log line ("H:MM:SS (daemon) message" and its variants,
// FORMATS.md 1.1), as the debug-log reader does: line is without its line ending and NUL bytes.
// msg is the offset of the message in line; daemon is the daemon's name, a forked daemon's "_N"
// or "[pid]" left out.
func Envelope(line []byte) (msg int, daemon string, ok bool) {
	e, ok := parseEnvelope(line)
	if !ok {
		return 0, "", false
	}
	return len(line) - len(e.msg), string(e.daemon), true
}

// Classify tells what the message of a debug-log line written by daemon means for the triad,
// as the debug-log reader does: Kind is EvNone for a line without triad meaning. Its Peer and
// Other are the hosts the message names, Vendor the vendor daemon and, for EvShutdownRequest,
// Why the user, each as written in msg. Line, Time and Text are not set.
func Classify(daemon, msg string) Event {
	return classify(isLmgrd([]byte(daemon)), msg)
}

// IsUsage tells the message of a usage line (OUT:, IN:, DENIED:, ... FORMATS.md 1.8).
func IsUsage(msg []byte) bool {
	_, ok := usageKind(msg)
	return ok
}

// ErrorCode finds a FlexLM error code "(major,minor...)" in s, the last one when there are several.
func ErrorCode(s string) (Code, bool) { return errCode(s) }

// IsStamp tells an lmstat stamp line: only an RFC 3339 time, optionally after "# " (TRIAD.md 2).
func IsStamp(line []byte) bool { return isStamp(bytes.TrimSpace(line)) }
