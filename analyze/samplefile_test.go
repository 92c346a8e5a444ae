package analyze_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// sampleFile reads file name of the bundled sample as the parser reads any input, in loc;
// edit, when not nil, changes its bytes first (a cut, a rewrite) and the file is then called
// as, as a customer's copy would be.
func sampleFile(t *testing.T, sample, name, as string, loc *time.Location, edit func([]byte) []byte) *parser.File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "samples", sample, name))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		data = edit(data)
	}
	f, err := parser.Read(bytes.NewReader(data), as, parser.Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	return f
}
