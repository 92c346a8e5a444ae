package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The text of every line the simulator writes. Each form is quoted in FORMATS.md (section in
// brackets); the sample incident samples/kgtn-2010120101 uses the same forms.

// flavor is what decides the wording of one host's lines: its platform and FlexLM version.
type flavor struct {
	windows bool
	ver     version
}

func flavorOf(platform string, v version) flavor {
	return flavor{windows: platform == "windows", ver: v}
}

func (f flavor) eol() string {
	if f.windows {
		return "\r\n"
	}
	return "\n"
}

// product is the banner's product name [1.3]: FLEXlm before v10, FLEXnet Licensing in v10,
// FlexNet Licensing from v11.
func (f flavor) product() string {
	switch {
	case f.ver.major() >= 11:
		return "FlexNet Licensing"
	case f.ver.major() == 10:
		return "FLEXnet Licensing"
	}
	return "FLEXlm"
}

// buildPlatform is the platform word of the build: i86_n3 (v10 Windows), x64_n6 (v11
// Windows), x64_lsb (Linux) [1.3].
func (f flavor) buildPlatform() string {
	switch {
	case f.windows && f.ver.major() >= 11:
		return "x64_n6"
	case f.windows:
		return "i86_n3"
	}
	return "x64_lsb"
}

// full is "v10.8.0.7 build 31286 i86_n3".
func (f flavor) full() string {
	return "v" + f.ver.text + " build " + f.ver.build + " " + f.buildPlatform()
}

// short is the version lmstat prints: v10.8, v11.13.1 [2.2].
func (f flavor) short() string {
	p := f.ver.parts
	if p[0] >= 11 {
		return fmt.Sprintf("v%d.%d.%d", p[0], p[1], p[2])
	}
	return fmt.Sprintf("v%d.%d", p[0], p[1])
}

// banner is lmgrd's start line [1.3]: "FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started
// on server1 (IBM PC) (12/1/2010)"; before v10 "FLEXlm (v9.2) started on host (linux) (...)".
func (f flavor) banner(host string, wall time.Time) string {
	plat := "linux"
	if f.windows {
		plat = "IBM PC"
	}
	y, m, d := wall.Date()
	date := fmt.Sprintf("(%d/%d/%d)", int(m), d, y)
	if f.ver.major() < 10 {
		return fmt.Sprintf("FLEXlm (v%d.%d) started on %s (%s) %s", f.ver.parts[0], f.ver.parts[1], host, plat, date)
	}
	return fmt.Sprintf("%s (%s) started on %s (%s) %s", f.product(), f.full(), host, plat, date)
}

// vendorVersion is the vendor daemon's first line [1.3], from v10 on.
func (f flavor) vendorVersion() string {
	if f.ver.major() < 10 {
		return ""
	}
	return f.product() + " version " + f.full()
}

// exitBase is the exit status of "Exit reason 0": 23 on Windows, 32 on Linux [1.5].
func (f flavor) exitBase() int {
	if f.windows {
		return 23
	}
	return 32
}

var exitWhy = map[int]string{
	1: "Bad configuration data", 2: "Invalid host", 3: "Port already in use", 4: "No features to serve",
	5: "Communications error", 6: "Not enough descriptors", 7: "Couldn't find a master", 8: "Exited due to some signal",
	9: "Exited because another server was running", 10: "Out of memory", 11: "Servers can't agree on who is the master",
	12: "Bad vendor daemon", 13: "Cannot execute", 14: "lmgrd requested vendor daemon down", 15: "Expired",
	16: "Bad call", 17: "Inconsistent", 18: "Feature set error", 19: "Borrow error", 20: "No license file",
}

// restartable tells the exit reasons after which lmgrd starts the vendor daemon again by
// itself (the "unknown status" path of FORMATS.md 1.5).
func restartable(reason int) bool {
	switch reason {
	case 1, 2, 4, 9, 10, 12, 13, 14, 15, 18, 19, 20:
		return false
	}
	return true
}

var pleaseNote = []string{
	"-----------------------------------------------",
	"  Please Note:",
	"",
	"  This log is intended for debug purposes only.",
	"  In order to capture accurate license",
	"  usage data into an organized repository,",
	"  please enable report logging. Use Macrovision's",
	"  software license administration  solution,",
	"  FLEXnet Manager, to  readily gain visibility",
	"  into license usage data and to create",
	"  insightful reports on critical information like",
	"  license availability and usage. FLEXnet Manager",
	"  can be fully automated to run these reports on",
	"  schedule and can be used to track license",
	"  servers and usage across a heterogeneous",
	"  network of servers including Windows NT, Linux",
	"  and UNIX.",
	"",
	"-----------------------------------------------",
	"",
	"",
}

// startup is lmgrd's start-up block up to its port line [1.3], all at one second: the
// Windows v10 form of the sample (with the "Please Note" box), the v11 forms of the real logs,
// and the bare v7-v9 form.
func (f flavor) startup(host string, wall time.Time, pid int, licPath string, port int) []string {
	var out []string
	banner := f.banner(host, wall)
	if f.ver.major() < 10 {
		return []string{banner, "License file(s): " + licPath, "lmgrd tcp-port " + strconv.Itoa(port)}
	}
	if f.windows && f.ver.major() == 10 {
		out = append(out, pleaseNote...)
	}
	out = append(out, "Server's System Date and Time: "+wall.Format("Mon Jan 02 2006 15:04:05")+" "+zoneName(wall, f.windows))
	if f.windows {
		out = append(out, "pid "+strconv.Itoa(pid), "Detecting other license server manager (lmgrd) processes...")
	}
	out = append(out, banner)
	if f.ver.major() == 10 {
		out = append(out, "Copyright (c) 1988-2007 Macrovision Europe Ltd. and/or Macrovision Corporation. All Rights Reserved.",
			"World Wide Web:  http://www.macrovision.com")
	} else {
		out = append(out, "Copyright (c) 1988-2015 Flexera Software LLC. All Rights Reserved.",
			"World Wide Web:  http://www.flexerasoftware.com")
	}
	return append(out, "License file(s): "+licPath, "lmgrd tcp-port "+strconv.Itoa(port))
}

// windowsZones are the long names Windows writes for a few zones: standard, daylight.
var windowsZones = map[string][2]string{
	"Asia/Tokyo":          {"Tokyo Standard Time", "Tokyo Daylight Time"},
	"America/New_York":    {"Eastern Standard Time", "Eastern Daylight Time"},
	"America/Chicago":     {"Central Standard Time", "Central Daylight Time"},
	"America/Denver":      {"Mountain Standard Time", "Mountain Daylight Time"},
	"America/Los_Angeles": {"Pacific Standard Time", "Pacific Daylight Time"},
	"Europe/London":       {"GMT Standard Time", "GMT Daylight Time"},
	"Europe/Berlin":       {"W. Europe Standard Time", "W. Europe Daylight Time"},
	"Europe/Paris":        {"Romance Standard Time", "Romance Daylight Time"},
	"Asia/Kolkata":        {"India Standard Time", "India Daylight Time"},
	"UTC":                 {"Coordinated Universal Time", "Coordinated Universal Time"},
}

// zoneName is the zone as the System Date line names it: the Windows long name, or the
// abbreviation on Linux.
func zoneName(wall time.Time, windows bool) string {
	if windows {
		if n, ok := windowsZones[wall.Location().String()]; ok {
			if wall.IsDST() {
				return n[1]
			}
			return n[0]
		}
	}
	name, _ := wall.Zone()
	return name
}

// featureList is the vendor daemon's "Server started on HOST for:" line and its continuation
// [1.3]: two features on the first line, the rest on the next ones, three a line.
func featureList(host string, features []Feature) []string {
	names := make([]string, len(features))
	for i, f := range features {
		names[i] = f.Name
	}
	first := min(2, len(names))
	out := []string{"Server started on " + host + " for:\t" + strings.Join(names[:first], "\t")}
	for i := first; i < len(names); i += 3 {
		out = append(out, strings.Join(names[i:min(i+3, len(names))], "\t"))
	}
	return out
}

// usLongDate is lmstat's header date: "Wed 12/1/2010 09:00" [2.1].
func lmstatHeader(wall time.Time) string {
	y, m, d := wall.Date()
	return fmt.Sprintf("Flexible License Manager status on %s %d/%d/%d %02d:%02d", wall.Format("Mon"), int(m), d, y, wall.Hour(), wall.Minute())
}

// lmstatCopyright is lmstat's first line [2.1].
func (f flavor) lmstatCopyright() string {
	switch {
	case f.ver.major() >= 11:
		return "lmutil - Copyright (c) 1989-2016 Flexera Software LLC. All Rights Reserved."
	case f.ver.major() == 10:
		return "lmutil - Copyright (c) 1989-2007 Macrovision Europe Ltd. and/or Macrovision Corporation. All Rights Reserved."
	}
	return "lmstat - Copyright (c) 1989-2003 by Macrovision Corporation. All rights reserved."
}

// Error texts of lmstat server lines [2.2, 2.7].
func (f flavor) downText(how downHow) string {
	switch how {
	case downMachine, downNever:
		return "License server machine is down or not responding. (-96,7)"
	}
	if f.windows {
		return `Cannot connect to license server system. (-15,10:10061 "WinSock: Connection refused")`
	}
	return `Cannot connect to license server system. (-15,570:115 "Operation now in progress")`
}

const (
	textNoRead     = "Cannot read data from license server system. (-16,287)"
	textNoMajority = "License server system busy (no majority). (-20,10)"
	textVendorDown = "The desired vendor daemon is down. (-97,121)"
)
