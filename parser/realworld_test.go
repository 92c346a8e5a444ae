package parser_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// realworld is the folder of public FlexLM files (see its SOURCES.md), relative to this package.
const realworld = "../../shared/realworld"

func realworldFiles(t *testing.T) []string {
	t.Helper()
	if st, err := os.Stat(realworld); err != nil || !st.IsDir() {
		t.Skipf("%s not present", realworld)
	}
	var files []string
	err := filepath.WalkDir(realworld, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && d.Name() != "SOURCES.md" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("%s holds no input files", realworld)
	}
	return files
}

func readRealworld(t *testing.T, rel string, loc *time.Location) *parser.File {
	t.Helper()
	p := filepath.Join(realworld, filepath.FromSlash(rel))
	fh, err := os.Open(p)
	if err != nil {
		t.Skipf("%s: %v", rel, err)
	}
	defer fh.Close()
	f, err := parser.Read(fh, rel, parser.Options{Location: loc})
	if err != nil {
		t.Fatalf("Read %s: %v", rel, err)
	}
	return f
}

// TestRealworldAll: every file is detected as the right kind and reads with under 1% unrecognised lines.
func TestRealworldAll(t *testing.T) {
	for _, p := range realworldFiles(t) {
		rel, _ := filepath.Rel(realworld, p)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			want := parser.KindLmstat
			if strings.HasSuffix(rel, ".log") {
				want = parser.KindDebugLog
			}
			f := readRealworld(t, rel, newYork(t))
			if f.Kind != want {
				t.Fatalf("kind = %v (%s), want %v", f.Kind, f.Reason, want)
			}
			if f.Lines == 0 {
				t.Fatal("no lines read")
			}
			if f.Recognized+f.Unrecognized != f.Lines {
				t.Errorf("recognized %d + unrecognized %d != lines %d", f.Recognized, f.Unrecognized, f.Lines)
			}
			if f.Unrecognized*100 >= f.Lines {
				t.Errorf("%d of %d lines unrecognized (>= 1%%); first warnings: %v", f.Unrecognized, f.Lines, first(f.Warnings, 5))
			}
			switch want {
			case parser.KindDebugLog:
				if f.Host == "" || f.First.IsZero() || f.Last.Before(f.First) {
					t.Errorf("Host %q, First %v, Last %v", f.Host, f.First, f.Last)
				}
				for i := 1; i < len(f.Events); i++ {
					if f.Events[i].Line <= f.Events[i-1].Line {
						t.Errorf("events out of line order at %d", f.Events[i].Line)
					}
				}
			case parser.KindLmstat:
				for _, s := range f.Snapshots {
					if s.Time.IsZero() {
						t.Errorf("snapshot at line %d has no time", s.Line)
					}
				}
				// Every real output here has its header, and none holds lmdown's output.
				if len(f.Untimed) > 0 || len(f.Stops) > 0 {
					t.Errorf("%d pastes and %d lmdown stops read out of a file that has neither", len(f.Untimed), len(f.Stops))
				}
			}
		})
	}
}

func first(w []*parser.SyntaxError, n int) []*parser.SyntaxError {
	if len(w) > n {
		return w[:n]
	}
	return w
}

// TestRealworldDebugLogs checks the banner host and the dates of three real logs.
func TestRealworldDebugLogs(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file        string
		loc         *time.Location
		host        string
		first, last string
		started     string // the vendor daemon the banner's lmgrd started
	}{
		{"flexlm_reporter/ansys.2017-06-08_09_49_41.log", newYork(t), "flux-license1.miserver.it.umich.edu",
			"2017-06-08T09:49:41-04:00", "2017-06-25T09:25:01-04:00", "ansyslmd"},
		{"flexlm_reporter/ansys.2017-01-08_17_17_45.log", newYork(t), "flux-license1.miserver.it.umich.edu",
			"2017-01-08T17:17:45-05:00", "2017-02-18T09:19:17-05:00", "ansyslmd"},
		{"flexlm_reporter/ansys.2017-02-18_10_03_36.log", newYork(t), "flux-license1.miserver.it.umich.edu",
			"2017-02-18T10:03:36-05:00", "2017-06-08T07:31:02-04:00", "ansyslmd"},
		{"parse_lmgrd_log/lmgrd_anonym.log", berlin, "pc_muc1",
			"2026-03-08T16:11:46+01:00", "2026-03-08T17:09:32+01:00", "MSC"},
		{"FlexLM-Log-Parser/debug.log", newYork(t), "SOME-LICENSE-SERVER",
			"2018-07-27T15:49:07-04:00", "2018-08-09T14:37:34-04:00", "adskflex"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			if _, err := os.Stat(realworld); err != nil {
				t.Skipf("%s not present", realworld)
			}
			f := readRealworld(t, tc.file, tc.loc)
			if f.Kind != parser.KindDebugLog {
				t.Fatalf("kind = %v", f.Kind)
			}
			if f.Host != tc.host || len(f.Hosts) != 1 || f.Hosts[0] != tc.host {
				t.Errorf("Host, Hosts = %q, %v; want %q", f.Host, f.Hosts, tc.host)
			}
			if !f.First.Equal(at(t, tc.first)) || !f.Last.Equal(at(t, tc.last)) {
				t.Errorf("First, Last = %v, %v; want %s, %s", f.First, f.Last, tc.first, tc.last)
			}
			if len(f.Gaps) != 0 {
				t.Errorf("Gaps = %v, want none (TIMESTAMP every 6 h)", f.Gaps)
			}
			var start, started int
			for _, e := range f.Events {
				switch {
				case e.Kind == parser.EvStart && e.Peer == tc.host:
					start++
				case e.Kind == parser.EvVendorStarted && e.Vendor == tc.started:
					started++
				}
			}
			if start != 1 || started != 1 {
				t.Errorf("%d start and %d vendor-started events, want 1 and 1", start, started)
			}
		})
	}
}

// TestRealworldLmstat checks the triad lmstat files.
func TestRealworldLmstat(t *testing.T) {
	if _, err := os.Stat(realworld); err != nil {
		t.Skipf("%s not present", realworld)
	}
	t.Run("lmstat_app1 master", func(t *testing.T) {
		f := readRealworld(t, "flexlm_exporter/lmstat_app1.txt", newYork(t))
		if len(f.Snapshots) != 1 {
			t.Fatalf("%d snapshots, want 1", len(f.Snapshots))
		}
		s := f.Snapshots[0]
		var masters, up []string
		for _, sl := range s.Servers {
			if sl.Master {
				masters = append(masters, sl.Name)
			}
			if sl.Status == parser.ServerUp {
				up = append(up, sl.Name)
			}
		}
		if strings.Join(masters, ",") != "host2.domain.net" || len(up) != 3 {
			t.Errorf("masters %v, up %v; want host2.domain.net of 3 up", masters, up)
		}
		if strings.Join(s.Listed, ",") != "host-1.domain.net,host2.domain.net,host3.domain.net" {
			t.Errorf("Listed = %v", s.Listed)
		}
		if !s.Time.Equal(at(t, "2017-10-20T17:02:59-04:00")) || s.Exact {
			t.Errorf("Time = %v exact %v", s.Time, s.Exact)
		}
	})
	t.Run("lmstat_server_down host3", func(t *testing.T) {
		f := readRealworld(t, "flexlm_exporter/lmstat_server_down.txt", newYork(t))
		if len(f.Snapshots) != 1 {
			t.Fatalf("%d snapshots, want 1", len(f.Snapshots))
		}
		s := f.Snapshots[0]
		if len(s.Servers) != 3 {
			t.Fatalf("%d server lines, want 3", len(s.Servers))
		}
		h3 := s.Servers[2]
		if h3.Name != "host3" || h3.Status != parser.ServerError || h3.Code != (parser.Code{Major: -15, Minor: 570}) || h3.Line != 9 {
			t.Errorf("host3 line = %+v, want host3 error (-15,570) at line 9", h3)
		}
		if !s.Servers[1].Master || s.Servers[1].Name != "host2" || s.Servers[0].Master {
			t.Errorf("masters wrong: %+v", s.Servers)
		}
		if len(s.Vendors) != 1 || s.Vendors[0].Name != "daemon" || !s.Vendors[0].Up || s.Vendors[0].On != "host2" {
			t.Errorf("vendors = %+v", s.Vendors)
		}
	})
	t.Run("mock_lmstat_errors two masters and -97", func(t *testing.T) {
		f := readRealworld(t, "LicenseStatus/mock_lmstat_errors.txt", newYork(t))
		if len(f.Snapshots) != 1 {
			t.Fatalf("%d snapshots, want 1", len(f.Snapshots))
		}
		s := f.Snapshots[0]
		var masters []string
		for _, sl := range s.Servers {
			if sl.Master {
				masters = append(masters, sl.Name)
			}
		}
		if strings.Join(masters, ",") != "SERVER001,SERVER002" {
			t.Errorf("masters = %v, want SERVER001,SERVER002", masters)
		}
		if len(s.Vendors) != 1 || s.Vendors[0].Name != "theorem" || s.Vendors[0].Up ||
			s.Vendors[0].Code != (parser.Code{Major: -97, Minor: 121}) || s.Vendors[0].On != "SERVER002" {
			t.Errorf("vendors = %+v, want theorem down (-97,121) on SERVER002", s.Vendors)
		}
	})
	t.Run("lmstat -i and -v have no snapshot", func(t *testing.T) {
		for _, name := range []string{"lmstat_i_app1.txt", "lmstat_i_app2.txt", "lmstat_new.txt", "lmstat_old.txt"} {
			f := readRealworld(t, "flexlm_exporter/"+name, newYork(t))
			if f.Kind != parser.KindLmstat || len(f.Snapshots) != 0 || f.Unrecognized != 0 {
				t.Errorf("%s: kind %v, %d snapshots, %d unrecognized", name, f.Kind, len(f.Snapshots), f.Unrecognized)
			}
		}
	})
}
