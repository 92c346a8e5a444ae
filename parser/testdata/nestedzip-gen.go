//go:build ignore

// nestedzip-gen writes the case of nestedzip-rss.sh: a tar holding the kgtn sample incident and
// a zip of SIZE bytes (stored, not compressed: random bytes named core.bin, plus the sample's
// logs), the way a customer bundles a zip they were sent. Nothing is held in memory whole.
//
//	go run parser/testdata/nestedzip-gen.go OUT.tar [MB]
package main

import (
	"archive/tar"
	"archive/zip"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
)

const sampleDir = "samples/kgtn-2010120101"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run parser/testdata/nestedzip-gen.go OUT.tar [MB]")
		os.Exit(2)
	}
	mb := 200
	if len(os.Args) > 2 {
		var err error
		if mb, err = strconv.Atoi(os.Args[2]); err != nil {
			fail(err)
		}
	}
	out := os.Args[1]
	samples, err := filepath.Glob(filepath.Join(sampleDir, "*"))
	if err != nil || len(samples) == 0 {
		fail(fmt.Errorf("no samples in %s (run from the repository's root)", sampleDir))
	}

	// The zip, in a temporary file beside OUT: a tar header needs its size first.
	zf, err := os.CreateTemp(filepath.Dir(out), "big-*.zip")
	if err != nil {
		fail(err)
	}
	defer os.Remove(zf.Name())
	zw := zip.NewWriter(zf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "core.bin", Method: zip.Store})
	if err != nil {
		fail(err)
	}
	if _, err := io.CopyN(w, rand.New(rand.NewSource(1)), int64(mb)<<20); err != nil {
		fail(err)
	}
	for _, p := range samples {
		if filepath.Ext(p) == ".log" {
			addZip(zw, p)
		}
	}
	if err := zw.Close(); err != nil {
		fail(err)
	}

	f, err := os.Create(out)
	if err != nil {
		fail(err)
	}
	tw := tar.NewWriter(f)
	for _, p := range samples {
		addTar(tw, p, "incident/"+filepath.Base(p))
	}
	addTar(tw, zf.Name(), "incident/from-the-customer.zip")
	if err := tw.Close(); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
	zf.Close()
}

func addZip(zw *zip.Writer, p string) {
	data, err := os.ReadFile(p)
	if err != nil {
		fail(err)
	}
	w, err := zw.Create("copy/" + filepath.Base(p))
	if err == nil {
		_, err = w.Write(data)
	}
	if err != nil {
		fail(err)
	}
}

func addTar(tw *tar.Writer, p, name string) {
	f, err := os.Open(p)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		fail(err)
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: st.Size(), Typeflag: tar.TypeReg, ModTime: st.ModTime()}); err != nil {
		fail(err)
	}
	if _, err := io.Copy(tw, f); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "nestedzip-gen:", err)
	os.Exit(1)
}
