package redact

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Output archives. The redacted files are written into a folder first; an archive is then made
// of them, its entries in name order with a fixed time (1980-01-01, the oldest a zip can
// hold) and mode 0644, so that the same inputs and map give the same archive byte for byte.

// ArchiveFormat is the archive an output path asks for by its extension: "zip", "tar.gz", or ""
// for a folder.
func ArchiveFormat(out string) string {
	low := strings.ToLower(out)
	switch {
	case strings.HasSuffix(low, ".zip"):
		return "zip"
	case strings.HasSuffix(low, ".tar.gz"), strings.HasSuffix(low, ".tgz"):
		return "tar.gz"
	}
	return ""
}

var packTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Pack writes the files of dir, as Write listed them, to w as an archive of format ("zip" or
// "tar.gz").
func Pack(w io.Writer, dir string, files []Written, format string) error {
	switch format {
	case "zip":
		zw := zip.NewWriter(w)
		for _, f := range files {
			hdr := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: packTime}
			hdr.SetMode(0o644)
			dst, err := zw.CreateHeader(hdr)
			if err != nil {
				return err
			}
			if err := copyFile(dst, filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil {
				return err
			}
		}
		return zw.Close()
	case "tar.gz":
		gz, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		tw := tar.NewWriter(gz)
		for _, f := range files {
			p := filepath.Join(dir, filepath.FromSlash(f.Name))
			st, err := os.Stat(p)
			if err != nil {
				return err
			}
			hdr := &tar.Header{Name: f.Name, Mode: 0o644, Size: st.Size(), ModTime: packTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			if err := copyFile(tw, p); err != nil {
				return err
			}
		}
		if err := tw.Close(); err != nil {
			return err
		}
		return gz.Close()
	}
	return fmt.Errorf("unknown archive format %q", format)
}

func copyFile(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
