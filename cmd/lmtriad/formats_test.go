package main

import (
	"encoding/csv"
	"strings"
	"testing"
)

// TestFormatGoldens pins the Markdown and CSV reports of the sample, and the Japanese text
// and Markdown reports.
func TestFormatGoldens(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		// No --tz: the sample's logs tell its zone (--since and --until are read in it).
		{"kgtn.md", []string{"analyze", "--format", "markdown", sample}},
		{"kgtn.csv", []string{"analyze", "--format", "csv", sample}},
		{"kgtn-ja.txt", []string{"analyze", "--lang", "ja", "--color", "never", sample}},
		{"kgtn-ja.md", []string{"analyze", "--lang", "ja", "--format", "markdown", sample}},
		{"kgtn-ja-timeline.txt", []string{"timeline", "--lang", "ja", "--color", "never", "--since", "2010-12-01 12:58", "--until", "2010-12-01 13:00", sample}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runAt(t, tc.args...)
			if code != 1 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden(t, tc.name, out)
		})
	}
}

// The locale picks Japanese when --lang is not given; JSON stays English whatever the language.
func TestLangFromLocale(t *testing.T) {
	t.Chdir(repoRoot)
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "ja_JP.UTF-8"}, "マスタサーバ不在"},
		{map[string]string{"LC_ALL": "ja_JP.UTF-8", "LANG": "C"}, "マスタサーバ不在"},
		{map[string]string{"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "masterless"},
		{map[string]string{}, "masterless"},
	} {
		var out, errb strings.Builder
		run([]string{"analyze", "--tz", "Asia/Tokyo", "--color", "never", sample}, &out, &errb, func(k string) string { return tc.env[k] })
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("env %v: no %q in the report", tc.env, tc.want)
		}
		var js strings.Builder
		run([]string{"analyze", "--tz", "Asia/Tokyo", "--format", "json", sample}, &js, &errb, func(k string) string { return tc.env[k] })
		if !strings.Contains(js.String(), `"state": "masterless"`) || strings.Contains(js.String(), "マスタ") {
			t.Errorf("env %v: the JSON report is not in English", tc.env)
		}
	}
}

// The CSV report is RFC 4180: a reader gets one row per interval with the header's columns.
func TestCSVReadable(t *testing.T) {
	out, _, _ := runAt(t, "analyze", "--tz", "Asia/Tokyo", "--format", "csv", sample)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10 || strings.Join(rows[0], ",") != "start,end,seconds,state,masters,down,unresponsive,joining,unknown,out,denied,isolated" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	if r := rows[5]; r[3] != "dual-master" || r[4] != "server1;server2" || r[2] != "90" {
		t.Errorf("dual-master row = %v", r)
	}
	if !strings.Contains(out, "\r\n") {
		t.Error("CSV lines do not end in CRLF")
	}
}
