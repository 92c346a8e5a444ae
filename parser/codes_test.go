package parser

import (
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// en renders a message in English through the catalogue, as the commands show it: the tests
// that check what a message says read its wording there.
func en(t msg.Text) string { return catalog.English(t) }
