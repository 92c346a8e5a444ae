package parser

import (
	"fmt"
	"time"
)

// EventKind says what a debug-log line means for the triad (TRIAD.md section 3).
type EventKind uint8

// Event kinds. Peer is the host a line is about; Vendor the vendor daemon it names.
const (
	EvNone            EventKind = iota
	EvStart                     // lmgrd banner "... started on HOST": the observer (re)started
	EvTrying                    // Trying connection to Peer
	EvConnected                 // Connected to Peer
	EvLost                      // Lost connection to Peer
	EvTimedOut                  // Connection to Peer TIMED OUT
	EvCannotConnect             // Cannot connect to Peer after incoming connection
	EvLostMaster                // Lost connection to master
	EvMasterIs                  // CONNECTED, master is Peer
	EvSelectedMaster            // selected (EXISTING) master Peer
	EvLostQuorum                // lmgrd lost quorum (lmgrd) / Lost quorum, exiting (vendor)
	EvNoQuorum                  // vendor: No quorum established, exiting
	EvMasterShouldBe            // Master should be Peer, but I can't connect
	EvCantRead                  // There are N servers we can't read from! (quorum: N)
	EvLostAll                   // license daemon: lost all connections
	EvOrderMismatch             // License File SERVER line order mismatch.
	EvThoughtMaster             // ERROR: Peer thought Other was master
	EvNoMasterStart             // ATTEMPT TO START VENDOR DAEMON Vendor with NO MASTER
	EvVendorStarted             // Started Vendor (...)
	EvVendorRestarted           // REStarted Vendor (...)
	EvVendorExited              // Vendor exited with status N (reason)
	EvVendorExiting             // (vendor) EXITING DUE TO SIGNAL S Exit reason N
	EvVendorDown                // SHUTting down Vendor, or the vendor's own shutdown line
	EvShutdownRequest           // SHUTDOWN request from USER (Why) at node HOST (Peer) [for vendor "V" (Vendor)]
	EvExiting                   // (lmgrd) EXITING DUE TO SIGNAL N: lmgrd stops
	EvVendorServing             // (vendor) Server started on HOST: the vendor daemon serves (Vendor: the daemon)
	evKinds
)

var eventNames = [...]string{
	EvNone: "none", EvStart: "start", EvTrying: "trying", EvConnected: "connected", EvLost: "lost",
	EvTimedOut: "timed-out", EvCannotConnect: "cannot-connect-back", EvLostMaster: "lost-master",
	EvMasterIs: "master-is", EvSelectedMaster: "selected-master", EvLostQuorum: "lost-quorum",
	EvNoQuorum: "no-quorum", EvMasterShouldBe: "master-should-be", EvCantRead: "cant-read",
	EvLostAll: "lost-all", EvOrderMismatch: "order-mismatch", EvThoughtMaster: "thought-master",
	EvNoMasterStart: "vendor-start-no-master", EvVendorStarted: "vendor-started",
	EvVendorRestarted: "vendor-restarted", EvVendorExited: "vendor-exited",
	EvVendorExiting: "vendor-exiting", EvVendorDown: "vendor-down",
	EvShutdownRequest: "shutdown-request", EvExiting: "exiting", EvVendorServing: "vendor-serving",
}

func (k EventKind) String() string {
	if k < evKinds {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Event is one triad-relevant line of a debug log.
type Event struct {
	Time   time.Time // as the server's clock read it, in the log's zone
	Line   int       // 1-based line number in the file
	Kind   EventKind
	Daemon string // the envelope's daemon name: lmgrd, or a vendor daemon
	Peer   string // the host the line is about, as written (may be empty)
	Other  string // second host: the one "thought ... was master"
	Vendor string // the vendor daemon named by the line
	Status int    // vendor exit status, or the signal of EXITING DUE TO SIGNAL
	Reason int    // "Exit reason N" (the EXIT_ offset), -1 when not printed
	Why    string // the reason text of "exited with status N (why)"
	Text   string // the line as written, without its line ending
	// Prev is, for EvStart, the time of the log's line before the banner (zero when the banner
	// is near the top): how long the server was silent before it (re)started.
	Prev time.Time
}

// UsageKind is the kind of a usage line (OUT, IN, DENIED...).
type UsageKind uint8

// Usage kinds counted per minute.
const (
	UsageOut UsageKind = iota
	UsageIn
	UsageDenied
	UsageQueued
	UsageOther
	usageKinds
)

// Usage counts the usage lines of one minute of one log.
type Usage struct {
	Minute time.Time // the start of the minute
	Counts [usageKinds]int
}

// Count returns the number of usage lines of kind k in the minute.
func (u Usage) Count(k UsageKind) int { return u.Counts[k] }
