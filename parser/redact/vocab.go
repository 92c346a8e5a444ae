package redact

import "strings"

// vocabulary is the words (three letters or more, lower case) of the line forms lmtriad reads:
// every word of a string the parser and the analysis compare lines with (parserWords, written by
// go generate from their sources), and a few more that FlexLM writes around the names (weekdays,
// platforms, keywords of license files). A name that is one of these words is an ordinary word of
// the logs too: it is replaced where a line's form says it is a name, and nowhere else, so that
// the lines keep the words they are recognised by. TestVocabulary checks that every word of the
// parser's and the analysis's strings is here.
var vocabulary = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(parserWords + extraWords) {
		m[w] = true
	}
	return m
}()

//go:generate go run vocab_gen.go

// extraWords are words FlexLM writes around the names that no string of the parser holds.
const extraWords = `
mon tue wed thu fri sat sun january february march april june july august september october
november december linux ibm lsb x64 i86 amd64 re3 n3 n6 this_host localhost localdomain any demo
nohost use_server increment feature package upgrade featureset vendor daemon server sign sign2
vendor_string notice issued issuer permanent uncounted hostid primary_is_master heartbeat_interval
port options reservation reservations group host_group display internet project floating
nodelocked licenses issued total use queued linger expiry users user host
`
