package catalog

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// Every language has every key, with the same placeholders.
func TestCataloguesAgree(t *testing.T) {
	en := Keys("en")
	for _, lang := range Languages[1:] {
		if got := Keys(lang); !reflect.DeepEqual(got, en) {
			t.Errorf("%s keys differ from en: %d vs %d", lang, len(got), len(en))
		}
		for _, k := range en {
			want := placeholder.FindAllString(catalogues["en"][k], -1)
			got := placeholder.FindAllString(catalogues[lang][k], -1)
			sort.Strings(want)
			sort.Strings(got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %q has placeholders %v, en has %v", lang, k, got, want)
			}
		}
	}
}

func TestRender(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2010, 12, 1, 12, 58, 32, 0, tokyo)
	tx := msg.New("finding.failed-rejoin", "server", "server2", "start", at, "grace", 5*time.Minute,
		"how", msg.New("finding.failed-rejoin.how.joining"), "dur", 33*time.Minute+27*time.Second, "others", []string{"server1", "server3"})
	for lang, want := range map[string]string{
		"en": "server2 came back at 2010-12-01T12:58:32+09:00 but did not rejoin the triad within 5m: it stayed joining for 33m27s while server1 and server3 held the triad",
		"ja": "server2 は 2010-12-01T12:58:32+09:00 に起動しましたが、5分 以内にトライアドへ復帰しませんでした。server1、server3 がトライアドを維持する間、33分27秒 にわたり 接続中 のままでした",
	} {
		if got := In(lang, tx); got != want {
			t.Errorf("%s:\n got %q\nwant %q", lang, got, want)
		}
	}
	if got := In("xx", tx); got != English(tx) {
		t.Errorf("an unknown language does not fall back to English: %q", got)
	}
	if got := Label("ja", "state.masterless"); got != "マスタサーバ不在" {
		t.Errorf("ja masterless = %q", got)
	}
	if got := format("ja", msg.State("dual-master")); got != "マスタサーバが2台存在" {
		t.Errorf("ja dual-master = %q", got)
	}
	if got := format("ja", msg.State("failed-rejoin")); got != "正常に復帰出来ない" {
		t.Errorf("ja failed-rejoin = %q", got)
	}
}

func TestDurationAndList(t *testing.T) {
	for _, tc := range []struct {
		d      time.Duration
		en, ja string
	}{
		{0, "0s", "0秒"},
		{45 * time.Second, "45s", "45秒"},
		{5 * time.Minute, "5m", "5分"},
		{time.Hour + 13*time.Minute + 52*time.Second, "1h13m52s", "1時間13分52秒"},
		{-90 * time.Second, "1m30s", "1分30秒"},
	} {
		if got := Duration("en", tc.d); got != tc.en {
			t.Errorf("Duration(en, %v) = %q, want %q", tc.d, got, tc.en)
		}
		if got := Duration("ja", tc.d); got != tc.ja {
			t.Errorf("Duration(ja, %v) = %q, want %q", tc.d, got, tc.ja)
		}
	}
	if got := List("en", []string{"a", "b", "c"}); got != "a, b and c" {
		t.Errorf("List en = %q", got)
	}
	if got := List("ja", []string{"a", "b"}); got != "a、b" {
		t.Errorf("List ja = %q", got)
	}
	if got := format("en", msg.Or{"x", "y"}); got != "x or y" {
		t.Errorf("Or = %q", got)
	}
}

// ---- fixes ----

func TestFixes(t *testing.T) {
	// Every finding code of TRIAD.md section 5.
	codes := []string{"failed-rejoin", "dual-master", "masterless", "no-quorum", "server-down", "master-not-returned",
		"tertiary-master", "order-mismatch", "clock-skew", "vendor-daemon-exit", "restart-loop", "evidence-gap", "vendor-daemon-down"}
	if len(fixes["en"]) == 0 {
		t.Fatal("fixes.json is empty")
	}
	for _, c := range codes {
		f, ok := fixes["en"][c]
		if !ok {
			t.Errorf("no fix for %s", c)
			continue
		}
		if len(f.Steps) == 0 {
			t.Errorf("fix for %s has no steps", c)
		}
		for i, s := range f.Steps {
			if strings.TrimSpace(s) == "" {
				t.Errorf("fix for %s: step %d is empty", c, i+1)
			}
		}
	}
	for _, c := range codes {
		if FixFor(c, "ja") == nil || len(FixFor(c, "ja").Steps) != len(FixFor(c, "en").Steps) {
			t.Errorf("the Japanese fix for %s is missing or has another number of steps", c)
		}
	}
	if ref := fixes["en"]["failed-rejoin"].Ref; ref != "KGTN 2010112602" {
		t.Errorf("failed-rejoin fix ref = %q, want KGTN 2010112602", ref)
	}
}
