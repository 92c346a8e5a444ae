// Package zone decides the time zone the license servers' clocks were in, from the lines of the
// inputs that tell it (TRIAD.md section 6). This part holds its data, kept as embedded files
// meant to be edited, each with a header saying what it holds and where it comes from:
//
//   - windows.txt maps each Windows zone to an IANA zone, following Unicode CLDR's windowsZones
//     table (the territory "001" default of each Windows zone), and lists the names Windows
//     prints for it: the key, or another name where Windows prints one (Israel Standard Time
//     prints "Jerusalem Standard Time"), and the daylight name, derived from the standard
//     name by rule ("Standard Time" becomes "Daylight Time") unless a column gives it.
//   - zones.txt lists the zones, beside windows.txt's, that zone abbreviations need
//     (Europe/Dublin, Europe/Lisbon, Asia/Hong_Kong, ...), in order of preference.
//
// No table of abbreviations is kept: a zone has an abbreviation at a moment when Go's time zone
// data (embedded with time/tzdata, so that it is there on every machine) says so.
package zone
