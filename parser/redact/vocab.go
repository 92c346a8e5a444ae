package redact

import "strings"

// vocabulary is the words (three letters or more, lower case) of the line forms lmtriad reads:
// every word of a string the parser and the analysis compare lines with, and a few more that
// FlexLM writes around the names (weekdays, platforms, keywords of license files). A name that is
// one of these words is an ordinary word of the logs too: it is replaced where a line's form says
// it is a name, and nowhere else, so that the lines keep the words they are recognised by.
// TestVocabulary checks that every word of the parser's and the analysis's strings is here.
var vocabulary = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(vocabularyWords) {
		m[w] = true
	}
	return m
}()

const vocabularyWords = `
0123456789 02t15 0700 16be 16le 1ay 2006 31j 7zxz 999999999 accepted after ahead all
alphabetical ambiguous analyse and apr archive are attempt aug back banner behind big binary
block borrow broken but bytes bzh can candidates cannot cant char check clock connect connected
connection connections content copyright count covers cp932 cpu critical cut daemon damaged data
date dated debuglog dec decrement deep degraded denial denied dequeued desc detecting device dir
does down dst dual due dur early elf empty encoding encrypted end entries entry envelope err
error established estimated event eventkind events evidence exist existing exit exited exiting
failed feature featureset feb fifo file filetype finding flexible flexlm flexnet folder format
from gap getting gib gif8 give given grace gzip hardlink has header heartbeat host how ibm
incoming inconclusive increment info information input inputs inqueue interval inuse isolated
its jan jis joining json jul jun kib kind last late later license licensing line lines list
little lmadmin lmgrd lmstat lmtriad lmutil log logs loop loss lost macosx major manager many mar
master masterless masters max may member members metering method mib minor mismatch missing more
name names naming needs nested newest node none nor normal not note nothing nov now nul oct
offset once one ones only order other others out package partition path pdf peer permission
permissions plausible png port pos position primary processes queued quorum rar ratio reached
read reason redundancy reference regular rejoin request requested restart restarted returned run
running same samples secondary selected sep server servers settle shift should shutdown shutting
signal signature silent since size sjis skew slog snapshot socket source span sparse special
spool start started starting state status stopped summary symlink system tar tell tertiary text
tgz the then there this thought three time timed timeline timeout timestamp too triad trying two
type ultimate unassigned unborrow uncovered undecided unknown unresponsive unsupported upgrade
usage use users ustar utf utf8 vendor verdict version warn warning was what which while whose
why window windows with wrote zip
mon tue wed thu fri sat sun january february march april june july august september october
november december linux ibm lsb x64 i86 amd64 re3 n3 n6 this_host localhost localdomain any demo
nohost use_server increment feature package upgrade featureset vendor daemon server sign sign2
vendor_string notice issued issuer permanent uncounted hostid primary_is_master heartbeat_interval
port options reservation reservations group host_group display internet project floating
nodelocked licenses issued total use queued linger expiry users
`
