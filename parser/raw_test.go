package parser

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// ReadRaw walks what ReadPaths walks, names the files alike and hands over their bytes unchanged
// (leading NULs and byte order mark included), with the kind and encoding Read would find.
func TestReadRaw(t *testing.T) {
	log := sample(t, "server1.log")
	utf16 := append([]byte{0xff, 0xfe}, utf16le(string(sample(t, "server2.log")))...)
	nul := append(make([]byte, 6), sample(t, "license.dat")...)
	log3 := sample(t, "server3.log")
	lmstat := sample(t, "lmstat.log")
	inner := zipBytes(t, entry{"srv/server3.log", log3}, entry{"notes.txt", []byte("hello\n")})
	inDir(t, entry{"in/a.log", log}, entry{"in/b.log", utf16}, entry{"in/c.dat", nul},
		entry{"in/d.zip", inner}, entry{"in/e.log.gz", gzipBytes(t, lmstat)})

	type got struct {
		raw  Raw
		data []byte
	}
	var seen []got
	files, err := ReadRaw([]string{"in"}, Options{}, func(r Raw, rd io.Reader) error {
		data, err := io.ReadAll(rd)
		seen = append(seen, got{r, data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReadPaths([]string{"in"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if listing(files) != listing(want) {
		t.Errorf("ReadRaw lists\n%s\nReadPaths\n%s", listing(files), listing(want))
	}
	wantRaw := []struct {
		name, disk, enc string
		kind            Kind
		nuls            int64
		bom             int
		data            []byte
	}{
		{"in/a.log", "in/a.log", EncodingUTF8, KindDebugLog, 0, 0, log},
		{"in/b.log", "in/b.log", EncodingUTF16LE, KindDebugLog, 0, 2, utf16},
		{"in/c.dat", "in/c.dat", EncodingUTF8, KindLicense, 6, 0, nul},
		{"in/d.zip!notes.txt", "in/d.zip", EncodingUTF8, KindUnknown, 0, 0, []byte("hello\n")},
		{"in/d.zip!srv/server3.log", "in/d.zip", EncodingUTF8, KindDebugLog, 0, 0, log3},
		{"in/e.log.gz!e.log", "in/e.log.gz", EncodingUTF8, KindLmstat, 0, 0, lmstat},
	}
	if len(seen) != len(wantRaw) {
		t.Fatalf("%d files seen, want %d", len(seen), len(wantRaw))
	}
	for i, w := range wantRaw {
		g := seen[i]
		if g.raw.Name != w.name || g.raw.Disk != w.disk || g.raw.Encoding != w.enc || g.raw.Kind != w.kind ||
			g.raw.NULs != w.nuls || g.raw.BOM != w.bom {
			t.Errorf("file %d: %+v, want %+v", i, g.raw, w)
		}
		if !bytes.Equal(g.data, w.data) {
			t.Errorf("%s: the bytes handed over differ from the file's (%d bytes, want %d)", w.name, len(g.data), len(w.data))
		}
	}

	// The callback's error stops the walk and comes back as it is.
	stop := errors.New("disk full")
	n := 0
	_, err = ReadRaw([]string{"in"}, Options{}, func(Raw, io.Reader) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("ReadRaw with a failing callback: %v after %d files, want %v after 1", err, n, stop)
	}
	// A forced encoding is taken, as Read takes it.
	_, err = ReadRaw([]string{"in/a.log"}, Options{Encoding: "sjis"}, func(r Raw, _ io.Reader) error {
		if r.Encoding != EncodingSJIS {
			t.Errorf("forced shift_jis read as %s", r.Encoding)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Errors about paths are ReadPaths's.
	_, err = ReadRaw([]string{"nosuch"}, Options{}, func(Raw, io.Reader) error { return nil })
	wantPathError(t, err, "nosuch")
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range strings.ReplaceAll(s, "\r", "") {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// The exported line forms find what the readers find.
func TestForms(t *testing.T) {
	line := []byte(" 9:49:41 (bm_1) OUT: \"f\" jdoe@pc1  ")
	at, daemon, ok := Envelope(line)
	if !ok || daemon != "bm" || string(line[at:]) != "OUT: \"f\" jdoe@pc1  " || !IsUsage(line[at:]) {
		t.Errorf("Envelope = %d %q %v", at, daemon, ok)
	}
	if _, _, ok := Envelope([]byte("free(): invalid pointer")); ok {
		t.Error("a line without an envelope has one")
	}
	ev := Classify("lmgrd", "SHUTDOWN request from jdoe at node pc1")
	if ev.Kind != EvShutdownRequest || ev.Why != "jdoe" || ev.Peer != "pc1" {
		t.Errorf("Classify shutdown = %+v", ev)
	}
	if ev := Classify("bm", "ERROR: lic-a thought lic-b was master"); ev.Peer != "lic-a" || ev.Other != "lic-b" {
		t.Errorf("Classify thought = %+v", ev)
	}
	if c, ok := ErrorCode("x: Cannot read data from license server system. (-16,287)"); !ok || c.Major != -16 {
		t.Errorf("ErrorCode = %v %v", c, ok)
	}
	if !IsStamp([]byte("# 2016-01-11T15:35:41Z\r")) || IsStamp([]byte("lmstat")) {
		t.Error("IsStamp")
	}
}
