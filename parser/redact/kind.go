package redact

import "fmt"

// Kind is the kind of an identifying token.
type Kind uint8

// Token kinds. The first ones are names that a report can show: the map keeps them (--map), and
// --reverse restores them. Secrets (signatures, VENDOR_STRING values, license texts) are only
// replaced: no report shows them.
const (
	KindServer       Kind = iota + 1 // a triad member's host name (server-a)
	KindHost                         // another host: a node that sent lmdown, a UNC server (host-001)
	KindWorkstation                  // a client's host in usage and lmstat user lines (ws-001)
	KindDisplay                      // a client's display, when it is not its host (display-001)
	KindUser                         // a client's user name, a user in a path (user-001)
	KindDomain                       // a DNS domain: of an FQDN or an e-mail address (dom1.example)
	KindIP                           // an IPv4 address (192.0.2.1, documentation ranges)
	KindEmail                        // an e-mail address (mail-001@dom1.example)
	KindHostID                       // a hostid of a SERVER line or HOSTID= (same length)
	KindFeature                      // a feature name, with --features (feature-001)
	KindSignature                    // SIGN=, SIGN2=, license keys (same-length zeros)
	KindVendorString                 // a VENDOR_STRING value (same-length dummy)
	KindLicenseText                  // NOTICE=, SN=, ASSET_INFO= and the like (same-length dummy)
	kinds
)

var kindNames = [kinds]struct{ name, label, plural string }{
	KindServer:       {"server", "server name", "server names"},
	KindHost:         {"host", "host name", "host names"},
	KindWorkstation:  {"workstation", "workstation name", "workstation names"},
	KindDisplay:      {"display", "display name", "display names"},
	KindUser:         {"user", "user name", "user names"},
	KindDomain:       {"domain", "domain", "domains"},
	KindIP:           {"ip", "IP address", "IP addresses"},
	KindEmail:        {"email", "e-mail address", "e-mail addresses"},
	KindHostID:       {"hostid", "hostid", "hostids"},
	KindFeature:      {"feature", "feature name", "feature names"},
	KindSignature:    {"signature", "license signature", "license signatures"},
	KindVendorString: {"vendor-string", "VENDOR_STRING value", "VENDOR_STRING values"},
	KindLicenseText:  {"license-text", "license text (NOTICE, SN, ...)", "license texts (NOTICE, SN, ...)"},
}

// String is the kind's name in the map file: server, user, ip, ...
func (k Kind) String() string {
	if k > 0 && k < kinds {
		return kindNames[k].name
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Label names the kind in messages: "server name", "IP address".
func (k Kind) Label() string {
	if k > 0 && k < kinds {
		return kindNames[k].label
	}
	return k.String()
}

// Plural names the kind in the plural, in the summary: "server names", "IP addresses".
func (k Kind) Plural() string {
	if k > 0 && k < kinds {
		return kindNames[k].plural
	}
	return k.String() + "s"
}

// Kinds lists every kind, in order.
func Kinds() []Kind {
	out := make([]Kind, 0, kinds-1)
	for k := Kind(1); k < kinds; k++ {
		out = append(out, k)
	}
	return out
}

func parseKind(s string) (Kind, bool) {
	for k := Kind(1); k < kinds; k++ {
		if kindNames[k].name == s {
			return k, true
		}
	}
	return 0, false
}

// mapped tells the kinds the map keeps and --reverse restores.
func (k Kind) mapped() bool { return k >= KindServer && k <= KindFeature }

// Secret tells the kinds replaced by a dummy of the same shape, and not kept in the map.
func (k Kind) Secret() bool { return k.secret() }

// secret tells the kinds replaced by a dummy of the same shape.
func (k Kind) secret() bool { return k >= KindSignature && k < kinds }

// hostName tells the kinds that share the namespace of host names: one name is one host,
// whichever line shows it (a member wins over a workstation, a workstation over another host).
func (k Kind) hostName() bool { return k == KindServer || k == KindHost || k == KindWorkstation }
