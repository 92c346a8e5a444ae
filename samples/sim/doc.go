// Package sim simulates a FlexLM three-server triad living through a timed list of faults and
// renders the evidence an administrator would collect afterwards: the three debug logs, the
// lmstat snapshots and the license file, plus truth.json, what really happened and what each
// set of evidence can show of it. lmtriad's bundled samples are made with it (go generate
// ./samples/...), and tests hold the analyzer to its truth.
//
// # API
//
//	sc, err := sim.Load("samples/scenarios/kgtn-2010120101.json") // or sim.Parse(json), sim.Random(seed, opts)
//	tr, err := sim.Render(sc, sim.DirOpener(dir))                 // streams the files; returns the Truth
//	tr, err := sim.RenderDir(sc, dir)                             // the same, plus truth.json and README.md
//	o, err := tr.Observe([]string{"license.dat", "lmstat.log", "server1.log", "server3.log"}) // what some files show
//	cov, err := tr.Coverage([]string{"license.dat", "server3.log"})                  // the time some files cover
//	big, err := sim.Scale(sc, 1<<30)                              // the same incident with about 1 GiB of output
//
// Render streams: every file is written front to back through a 64 KiB buffer, and memory
// grows with the number of faults and lmstat runs, never with the length of a log or the
// load (a month of a busy triad, 1 GB, renders in under ten seconds with a heap of a few MB). An Opener
// decides where the bytes go: DirOpener writes files, DiscardOpener counts them. The same
// scenario always gives the same bytes: every random draw comes from Scenario.Seed.
//
// Random(seed, opts) makes a valid random scenario (the same seed and options give the same
// scenario); RandomOptions set the number of faults, their spacing, the kinds drawn, the load,
// the clock offsets, and how often lmstat collection stops for a while (LmstatGaps), the
// incident crosses a change of daylight saving time (DST) and a fault is a network partition
// (Partitions; off by default, so that the seeds drawn before partitions existed still give
// the same scenarios).
//
// # Scenario files
//
// A scenario is a JSON object (unknown fields are errors). Times are written in the
// scenario's zone as "2010-12-01 10:13:10" (or without seconds), as RFC 3339 (needed in the
// hour that repeats when daylight saving time ends), or as "+1h20m" after start. Durations
// are Go durations ("90s", "1h30m") with an optional "d" for days. Fields (default in
// brackets):
//
//	name, title, description        the scenario's name (its file name), a title and a paragraph for README.md
//	dir                             sample directory under samples/ [name]
//	sample                          false: go generate does not render it (too big to check in) [true]
//	zone                            IANA zone of every clock [UTC]
//	start                           the primary's cold start; end: the end of the evidence [30m after the last fault]
//	seed                            seed of the usage and process ids [0]
//	version, build                  FlexLM version: 9.x "FLEXlm", 10.x "FLEXnet Licensing", 11.x "FlexNet Licensing" [11.13.1.2]
//	platform                        windows (CRLF, "(IBM PC)", "Started bm (pid N)") or linux (LF, "(linux)",
//	                                "Started bm (internet tcp_port P pid N)") [linux]
//	vendor, port, vendor_port       vendor daemon name, lmgrd port, vendor daemon port [bm, 27001, 27010]
//	license_path                    what "License file(s):" says [C:\flexlm\license.dat, /opt/flexlm/license.dat]
//	primary_is_master               PRIMARY_IS_MASTER on the first SERVER line [false]
//	heartbeat_interval              HEARTBEAT_INTERVAL=s; the heartbeat timeout is 3s+s-1 [20: 79 s]
//	rejoin_grace                    for the truth: how long a return may take [5m]
//	timing.connect                  cold start: banner to "Connected to" [1s]
//	timing.rejoin_connect           a return: banner to "Connected to" [3s]
//	timing.join                     "Connected to" to "selected (EXISTING) master" [5s]
//	timing.election                 loss noticed to "CONNECTED, master is" [90s]
//	timing.cold_election            two servers connected at a cold start to "CONNECTED, master is" [25s]
//	timing.cannot_connect           a hung return to its peers' "Cannot connect to X after incoming connection" [13s]
//	servers[3]                      in SERVER-line order (primary, secondary, tertiary): name, hostid, start
//	                                [start, +30s, +54s], offset (its clock minus true time) [0], platform, version, build
//	lmstat.interval, lmstat.second  a run every interval at that second of the collecting host's clock [60s, 2]
//	lmstat.offset                   the collecting host's clock minus true time [0]
//	lmstat.stamps                   write "# <RFC 3339>" before each run (date --iso-8601=seconds) [false]
//	lmstat.start, lmstat.end        first run at or after, runs before [1 min after the cold start's election, end]
//	lmstat.platform                 windows adds "[Detecting lmgrd processes...]" and CRLF [the primary's]
//	lmstat.disabled                 no lmstat output [false]
//	lmstat.gaps                     [[from, to], ...]: collection stopped, no run starts in [from, to) []
//	usage.features                  FEATURE lines: name, licenses, version [<vendor>_solver 10, _pre 5, _post 5; 1.0]
//	usage.users, usage.user_count   "user@host" names, or how many to make up [10]
//	usage.rate, usage.hold          checkout requests per hour, mean holding time [20, 45m]
//	usage.multi                     share of checkouts of 2 to 4 licenses [0.05]
//	usage.off                       no usage at all [false]
//	faults[]                        at, kind, server (servers for a partition), and the kind's fields below
//
// # Fault kinds and what they write
//
// Every line is in a form quoted in FORMATS.md (sections 1.1-1.8, 2.1-2.7); the kgtn-2010120101
// sample shows most of them. "Peers" are the other running servers.
//
//   - crash: the machine dies: its log stops. After the heartbeat timeout (at once with
//     "process": true, lmgrd alone died and its sockets closed) each connected peer logs
//     "Lost connection to X"; a peer that had X as master also logs "Lost connection to master",
//     "lmgrd will now attempt to select a new master", "lmgrd will now shut down all vendor
//     daemons", "SHUTting down V"; a peer left with no connected peer logs "lmgrd lost quorum.
//     lmgrd will now only" / "process connection requests from other lmgrd processes" and shuts
//     its vendor daemon down. "election" overrides timing.election for the election that
//     follows. lmstat: -96 (machine) or -15 (process) from the next run.
//   - shutdown: "SHUTDOWN request from admin at node X", "lmgrd will now shut down all the vendor
//     daemons", the vendor daemon's "daemon shutdown requested - shutting down" (and IN ...
//     (SHUTDOWN) lines for the master's checkouts), "EXITING DUE TO SIGNAL 15"; peers lose it at
//     once. On a hung server: no line at all (it is killed). lmstat: -15.
//   - restart: a down (or hung: it is killed first) server returns: its start-up block (banner
//     "... started on X (PLATFORM) (M/D/YYYY)"), "Trying connection to" each peer; after
//     connect (timing.rejoin_connect) both ends of each link log "Connected to" in the same
//     second; after join it logs "selected (EXISTING) master M" and starts its vendor daemon
//     ("Starting vendor daemons ... ", "Started V (...)", the vendor's version and "Server started
//     on X for:" lines). With PRIMARY_IS_MASTER, when the primary returns every up server logs
//     "CONNECTED, master is <primary>": the master moves back (not after an order mismatch,
//     when the order is alphabetical). Into a triad without master
//     (the others lost quorum, or a cold start) it takes part in an election instead.
//   - hang: a down server returns and never rejoins (KGTN 2010112602): start-up block and
//     "Trying connection to" lines; after timing.cannot_connect its peers log "Cannot connect to X
//     after incoming connection"; it logs "Connection to P TIMED OUT" for each peer after 33 s,
//     "INTERNAL error: Please report the following to your vendor", "ATTEMPT TO START VENDOR
//     DAEMON V with NO MASTER" and a vendor daemon start after 48 s, TIMED OUT pairs again at
//     113, 193 and 273 s, then nothing (it spins). With "storm": true a TIMED OUT pair follows
//     every "every" [2s] until the hang ends (a later fault on that server). lmstat: -16 from
//     the first run after its banner.
//   - split-brain: a down primary or secondary returns and, after connect and join, wrongly
//     logs "CONNECTED, master is X" and starts its vendor daemon while M is master. After
//     "duration" [90s] minus 2 s its vendor daemon logs "ERROR: M thought X was master" and
//     "EXITING DUE TO SIGNAL S Exit reason 11"; at "duration" lmgrd logs "V exited with status S
//     (Servers can't agree on who is the master)" and "selected (EXISTING) master M". lmstat shows
//     two (MASTER) lines meanwhile. The tertiary can never be master: not allowed for it.
//   - vendor-exit: the vendor daemon of an up server exits ("reason" [5], "repeat" times [1],
//     "every" [10m] apart): the vendor's "Lost connection to lmgrd, heartbeat timeout expired,
//     exiting." (reason 5) or "No master, exiting" (7), "EXITING DUE TO SIGNAL S Exit reason N"
//     with S = 23+N on Windows, 32+N on Linux (FORMATS.md 1.5), IN (SHUTDOWN) lines on the
//     master; a second later lmgrd's "V exited with status S (why)" and, for the reasons lmgrd
//     restarts, "Since this is an unknown status, license server " / "manager (lmgrd) will attempt
//     to re-start the vendor daemon.", else "Please correct problem and restart daemons"; after
//     "down" [0, or 5m when lmgrd does not restart it] "REStarted V (...)". The triad's state does
//     not change; lmstat shows "V: The desired vendor daemon is down. (-97,121)" on the master
//     meanwhile, and no license is served.
//   - order-mismatch: from the server's next start its license file lists the servers in
//     "order" (written as license.dat.<server>). When it connects to a peer whose order differs,
//     both log "License File SERVER line order mismatch." and "Using alphabetical order", and
//     from then on elections use alphabetical order (the third in that order is never master).
//   - partition: {"at": T, "kind": "partition", "servers": ["lmprod3"], "until": T2} (or
//     "down": "40m" instead of until): from at until until the network cuts the one or two
//     servers named off from the others (one at a time: a partition cannot begin while another
//     is in effect); no lmgrd stops. One heartbeat timeout after at, both ends of every link
//     across the cut log "Lost connection to X" (each side for each peer across it, in the same
//     second). A side left with one running server loses its quorum (FORMATS.md 1.4, v9.2
//     ls_m_main.c: the quorum branch, not the lost-master one): "lmgrd lost quorum.  lmgrd will
//     now only" / "process connection requests from other lmgrd processes", "lmgrd will now shut
//     down all vendor daemons", "SHUTting down V"; it is isolated (lmstat -20) and keeps logging
//     (TIMESTAMP). A side of two keeps its master, or, when the master is across the cut, logs
//     "Lost connection to master" and elects one after "election" [timing.election]. A server
//     that starts while cut off connects only to the servers on its side and logs "Connection to
//     P TIMED OUT" 33 s after its banner for each running peer across the cut. At until the
//     running servers across the cut connect again: after "connect" [timing.rejoin_connect] the
//     cut-off server and its first peer (SERVER order) both log "Connected to" the other, the
//     next pair 2 s later; an isolated server is joining from its first "Connected to" (lmstat
//     still -20) until, after "join" [timing.join], it logs "selected (EXISTING) master M",
//     "Starting vendor daemons ... " and "Started V (...)" (with PRIMARY_IS_MASTER a returning
//     primary takes the master role back: "CONNECTED, master is <primary>" on every connected
//     up server); two servers that were both isolated elect a master after timing.election.
//     lmstat is collected from a host that reaches all three servers.
//
// # The triad's behaviour
//
// As TRIAD.md section 1 and FORMATS.md sections 1.4 and 3 describe: quorum is 2 of 3; a server
// alone logs that it lost quorum and serves nothing. An election makes master the first
// server in SERVER order (or alphabetical order after a mismatch) among the first two in that
// order that take part; the third is never master. Elections happen when two connected servers
// have no master: a cold start (timing.cold_election after the first two connect; a third that
// connects before it takes part) or a loss noticed by the survivors (timing.election after the
// notice). A returning server joins the existing master, which stays put (unless
// PRIMARY_IS_MASTER and the primary returns). Every up member starts its own vendor daemon, but
// only the elected master's serves: it writes the OUT/IN/DENIED lines (requests from the
// usage model above) and lmstat's user lines. lmgrd writes "TIMESTAMP M/D/YYYY" every 6 h
// after each start while it runs (not while hung).
//
// Each server writes its own clock: true time plus its offset. lmstat runs at lmstat.second
// of every interval of the collecting host's clock (true time plus lmstat.offset) and prints
// that minute in its header ("Flexible License Manager status on Wed 12/1/2010 09:00"). A run
// shows the triad as it was just before the second it ran: a server whose banner is in that
// very second is still down. What a run shows for a server: down: -96 (machine crash, never
// started) or -15 (lmgrd died, shut down); joining or hung: "Cannot read data from license
// server system. (-16,287)"; isolated (it logged lost quorum, also after it connected again
// until it accepts a master): "License server system busy (no majority). (-20,10)"; up:
// "license server UP vN", with "(MASTER)" when it accepts itself as
// master (so two in a split brain, none while the master's loss is not yet noticed or an
// election is pending). No server answering at all: "lmgrd is not running: ...". "Vendor daemon
// status (on X)" names the last (MASTER) server, its vendor daemon UP if it runs, else
// "The desired vendor daemon is down. (-97,121)" (also whenever there is no (MASTER) mark);
// "License file(s) on" names the first UP server. Usage blocks list the serving master's
// checkouts at the run.
//
// # truth.json
//
// "true" holds the true intervals: the rules of TRIAD.md section 4 applied to the true
// statuses, from the primary's cold start to the end. A server is down (lmgrd not running),
// joining (from its banner, or from its first "Connected to" after being isolated, until it
// logs that it accepts a master), unresponsive (hung, from its banner), isolated (its lmgrd
// runs but it logged that it lost quorum: not up), or up; the up servers have quorum when
// there are at least two; servers that were isolated and have connected to each other again
// count as up for the quorum until their election ends (TRIAD.md section 4's exception); an
// isolated server, having run all along, keeps a return from being a cold start ("starting");
// the masters are the up servers that accept themselves as master. "partitions" lists the
// network partitions: the servers cut off, the others, from when to when, and when both sides
// noticed. A crash is down at once, and a master's
// crash is masterless at once (the dead master serves nothing), whatever its peers believe.
// A return episode lasts from a banner until the server is up or down again; it is a failed
// rejoin when it lasts longer than the rejoin grace (or is still open at the end and began a
// grace before it), and then the whole episode is failed-rejoin while the other two hold
// quorum and a master.
//
// "observed" holds, for each set of evidence, what an analyzer of that evidence can know:
// "both" (every file), "lmstat" (license files and lmstat.log) and "logs" (license files and
// the debug logs). Each is computed from what the rendered lines and snapshots say, at the
// moment they say it, with the same rules:
//
//   - A log line counts at its true time (the analyzer corrects each clock; Connected-to pairs
//     are logged by both ends in one second, so the offsets can be found exactly). Its
//     meaning: a banner makes its writer joining (unless already joining or unresponsive: a
//     storm of restarts is one return); "CONNECTED, master is P" and "selected (EXISTING) master
//     P" make the writer up, with master P; "Lost connection to master" drops its master; "lmgrd
//     lost quorum" makes an up writer isolated, and "Connected to" from an isolated writer makes
//     it joining; lmgrd's "EXITING DUE TO SIGNAL 15" makes it down; "Lost connection to P" makes
//     P down, but only when the writer is up (a joining or hung server's TIMED OUT and Lost
//     lines describe its own trouble) and P's log, when given, is silent from then until its
//     next start banner (a log that goes on is a lost link, not a death); and a writer that
//     lost both peers within one heartbeat timeout and then its quorum cannot tell a partition
//     from two crashes: the peers its Lost lines made down are unknown again (up, when an up
//     peer's link to them still stands). Nothing else changes a
//     status: a crash shows only when a peer notices it, a killed hung server not at all.
//   - A snapshot counts at its placement: the end of its printed minute (HH:MM:59) on the lmstat
//     clock (in the hour that repeats when daylight saving time ends, the one the file's order
//     shows), or its stamp. A run that did not happen (lmstat.gaps) shows nothing. UP makes a server up, -20 isolated, -16 unresponsive, -96
//     and -15 down. A snapshot does not override a log line about the same server written at or
//     after the earliest moment the run may have happened (placement minus 59 s, or the stamp):
//     that line is newer (a run shows the state before its second, so a line of the stamp's own
//     second is newer too). Its (MASTER) marks say who claims master unless a log line changed
//     that server's master standing at or after that earliest moment.
//   - Before a server's log begins it is down (every rendered log begins with a cold start); with
//     lmstat alone it is unknown until the first snapshot. A status that is unknown makes a
//     moment unknown when the rules give different states for up and down.
//   - The masters at a moment are the up servers named master by an up server's log (or by
//     the newer lmstat marks). A return episode starts at the return as that evidence sees it
//     (the banner; with lmstat alone the first -16 or UP after down) and a failed-rejoin
//     interval covers it from there.
//   - Coverage: a log covers from its first to its last line except silences over 6h15m; lmstat
//     covers from a snapshot to the next when they are at most three median intervals apart, and
//     one median interval after its last (so a gap of more than two missed runs is uncovered,
//     unless a log covers it). Outside coverage the state is unknown; the intervals run from the
//     first to the last covered moment.
//
// Truth.Observe(files) computes the same for any choice of the rendered files, such as the
// debug logs without one server's (the checked-in truth.json holds only the three sets
// above). A server whose log is missing is judged by its peers' lines and lmstat: it is
// unknown until some evidence speaks of it (not down before the logs begin); "Connected to X"
// from a peer that is up shows X up (from a peer still joining, X running again: joining
// when it was down, or when both were isolated); "CONNECTED, master is X" or "selected (EXISTING) master X" shows X up,
// and with it every server without a log that is linked to the writer (a "Connected to" with
// no "Lost connection to" since, in the writer's current run: a restart or lmgrd's exit drops
// its links); such a line also restores X's quorum, and counts as a log line about X for the
// snapshots of its run window; "Lost connection to X" from an up peer shows X down. The
// reference clock is the first SERVER host whose log is given (else the lmstat host).
//
// So each boundary falls at the first moment that evidence shows the change; for "both" that
// is the earliest of the two, except that a snapshot never undoes a log line written inside its
// own run window. Observed times are on the evidence's reference clock, as the analyzer reports
// them: true time plus the primary's offset for "both" and "logs" (the primary's clock is the
// reference), plus the lmstat host's offset for "lmstat" alone. Intervals are maximal runs of
// one state with the same masters and the same set of servers not up. "states" lists their
// states in order; "tolerance_seconds" is max(2 lmstat intervals, 3 min).
//
// Known limits of the evidence that the truth does not model: with stamp lines or without, an
// analyzer can only bound the lmstat host's clock against the logs, while the truth uses the
// true offset (Random keeps the lmstat host on the primary's clock unless SkewLmstat is set); in
// the hour that repeats when daylight saving time ends, a line of the second time through that
// hour whose first reading is not before the line above it is ambiguous (TRIAD.md section 6:
// the order of the file cannot tell; the built-in scenarios keep their faults out of that hour,
// and Random with DST places the incident so that no line or snapshot is); a server that
// returns before its peers noticed its crash is not noticed at all; and two readings of
// TRIAD.md section 4 for partial evidence are not modelled by Observe: a silence that ends in a
// new start banner (its server unknown from its last line before it, unless a snapshot or an up
// peer's standing link says more) and the peer statuses that rest on a single log after its
// last line (unknown). They matter only for sets without the peers' logs and lmstat, which
// truth.json does not hold; the subset property test (subset_property_test.go) holds the
// analyzer on every part of the evidence to the true states instead.
package sim
