// Package zone decides the time zone the license servers' clocks were in, from the lines of the
// inputs that tell it (TRIAD.md section 6), when the user did not give it with --tz.
//
// # The evidence
//
// The parser keeps the lines that tell a zone as parser.ZoneClue values: a stamp line or
// -datestamp time with a UTC offset beside the local time; a zone abbreviation (EDT, CEST, JST)
// after the local time of a "Server's System Date and Time:" or SLOG "Start-Date:" line; a
// Windows zone name in the same places ("Tokyo Standard Time", "Central Daylight Time"). Each
// clue says something about the zone at one local date and time, and a zone fits it when its
// rules say the same:
//
//   - an offset: the zone is at that offset at that local time;
//   - an abbreviation: the zone uses that abbreviation at that local time;
//   - a Windows name: the zone is at the offset the IANA zone CLDR maps the name to has at that
//     local time, in summer time for a daylight name ("Eastern Daylight Time") and not for a
//     standard one ("Eastern Standard Time").
//
// What an abbreviation means is not kept in a table: a zone fits an abbreviation when Go's time
// zone data (the IANA tz database, embedded with time/tzdata so that it is there on every
// machine; a system zoneinfo database takes precedence when present, as for time.LoadLocation)
// gives that zone that abbreviation at that moment, as time.Time.Zone reports it. The zones
// considered are the universe: every zone of windows.txt plus those of zones.txt. An
// abbreviation no zone of the universe uses (from 1970 to 2050) is unknown to lmtriad; so is a Windows name
// windows.txt does not list (such as the translated names a non-English Windows prints).
//
// # The decision
//
// Decide follows TRIAD.md 6:
//
//   - With --tz (given not nil) the zone is the one given (Source "given"). Every clue it does
//     not fit (an offset or abbreviation that zone cannot have on that date) is a warning
//     naming the line (warn.zone.contradicts), and Evidence lists those lines.
//   - Without --tz, the zone chosen is one that fits every clue (Source "evidence"; Evidence
//     lists the clues it fits). Candidates that give the same UTC offsets at every instant of
//     the time the evidence covers are not in conflict: any of them gives the same times, and
//     the one named is, in this order of preference, the CLDR zone of a Windows name among the
//     clues, the first in zones.txt's order, the first alphabetically. The time covered runs
//     from the earliest to the latest of from, to and the clues' local times, widened to every
//     instant at which some zone's clock reads a time in it; the zones' transitions in it are
//     walked with time.Time.ZoneBounds.
//   - When the candidates give different times somewhere in that span (IST: India, Ireland or
//     Israel; CST: the US, China or Cuba), the other clues resolve it when they can. A Windows
//     name resolves it too, since it names one zone. Otherwise the report warns and names the
//     candidates (warn.zone.ambiguous), and the most preferred is taken.
//   - When no zone fits every clue, the clues contradict each other: the zone that fits the
//     most is taken (ties by preference), and the report warns, naming the lines it does not
//     fit (warn.zone.conflict).
//   - A clue that names no zone lmtriad knows (warn.zone.unknown), or that no zone can have on
//     its date (warn.zone.impossible, such as EDT in January), is named in a warning and not
//     used.
//   - Without a usable clue, the zone is the machine's (Source "machine"), with a warning that
//     says so and how to give --tz (warn.zone.machine).
//
// The decision depends only on its input: the same clues in any order, the same zones and the
// same span give the same zone and the same warnings.
//
// # The data
//
// Both files are embedded and meant to be edited: each says in its header what it holds and
// where it comes from, and a test loads every zone they name.
//
//   - windows.txt maps each Windows zone to an IANA zone, following Unicode CLDR's windowsZones
//     table (the territory "001" default of each Windows zone), and lists the names Windows
//     prints for it: the key, or another name where Windows prints one (Israel Standard Time
//     prints "Jerusalem Standard Time"), and the daylight name, derived from the standard
//     name by rule ("Standard Time" becomes "Daylight Time") unless a column gives it.
//   - zones.txt lists the zones the abbreviations need that CLDR's defaults lack
//     (Europe/Dublin, Europe/Lisbon, Asia/Hong_Kong, ...) and, by its order, the preference
//     among zones that give the same times.
package zone
