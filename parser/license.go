package parser

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// License is what a license file says about the servers.
type License struct {
	Servers []Server // in file order: primary, secondary, tertiary
	Vendors []Vendor
}

// Server is one SERVER line: SERVER host hostid [port] [PRIMARY_IS_MASTER] [HEARTBEAT_INTERVAL=s].
type Server struct {
	Host              string
	HostID            string
	Port              int
	PrimaryIsMaster   bool
	HeartbeatInterval int // seconds; 0 when not given
	Line              int
	Text              string
}

// Vendor is one VENDOR or DAEMON line.
type Vendor struct {
	Name string
	Line int
}

func readLicense(r io.Reader, f *File) error {
	lic := &License{}
	f.License = lic
	lr := newLineReader(r)
	var logical []byte // a line with its backslash continuations joined
	start := 0
	flush := func() {
		if len(logical) == 0 {
			return
		}
		if licenseLine(lic, start, string(logical)) {
			f.Recognized += lr.n - start + 1
		} else {
			f.Unrecognized += lr.n - start + 1
			f.warn(start, msg.New("warn.line.not-license", "text", excerpt(logical)))
		}
		logical = logical[:0]
	}
	for {
		line, ok := f.next(lr)
		if !ok {
			break
		}
		t := bytes.TrimSpace(line)
		if len(logical) == 0 {
			if len(t) == 0 || t[0] == '#' {
				f.Recognized++
				continue
			}
			start = lr.n
		}
		cont := len(t) > 0 && t[len(t)-1] == '\\'
		if cont {
			t = t[:len(t)-1]
		}
		logical = append(append(logical, t...), ' ')
		if !cont {
			flush()
		}
	}
	flush()
	return lr.err
}

var licenseKeywordSet = map[string]bool{
	"SERVER": true, "VENDOR": true, "DAEMON": true, "FEATURE": true, "INCREMENT": true,
	"USE_SERVER": true, "PACKAGE": true, "UPGRADE": true, "FEATURESET": true,
}

func licenseLine(lic *License, n int, s string) bool {
	fields := strings.Fields(s)
	if len(fields) == 0 || !licenseKeywordSet[fields[0]] {
		return false
	}
	switch fields[0] {
	case "SERVER":
		if len(fields) < 3 {
			return false
		}
		sv := Server{Host: fields[1], HostID: fields[2], Line: n, Text: strings.TrimSpace(s)}
		for _, x := range fields[3:] {
			switch {
			case strings.EqualFold(x, "PRIMARY_IS_MASTER"):
				sv.PrimaryIsMaster = true
			case hasPrefixFold(x, "HEARTBEAT_INTERVAL="), hasPrefixFold(x, "SERVER_TIMEOUT="):
				v, err := strconv.Atoi(x[strings.IndexByte(x, '=')+1:])
				if err == nil {
					sv.HeartbeatInterval = v
				}
			default:
				if p, err := strconv.Atoi(x); err == nil && sv.Port == 0 {
					sv.Port = p
				} else if hasPrefixFold(x, "PORT=") {
					sv.Port, _ = strconv.Atoi(x[5:])
				}
			}
		}
		lic.Servers = append(lic.Servers, sv)
	case "VENDOR", "DAEMON":
		if len(fields) < 2 {
			return false
		}
		lic.Vendors = append(lic.Vendors, Vendor{Name: fields[1], Line: n})
	}
	return true
}
