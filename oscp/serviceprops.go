package oscp

import (
	"encoding/json"
	"fmt"
	"maps"

	"github.com/gridwire/gridwire/energy"
)

// The service property keys SolarNetwork understands.
const (
	PropOAuthTokenURL     = "oauth-token-url"
	PropOAuthClientID     = "oauth-client-id"
	PropOAuthClientSecret = "oauth-client-secret"
	PropHTTPHeaders       = "http-headers"
	PropURLPaths          = "url-paths"
)

// ServiceProps are an entity's optional service properties, typed. Send
// them whole: an update replaces all of them.
type ServiceProps struct {
	// OAuth, when set, makes SolarNetwork authenticate to the system with
	// the OAuth client-credentials flow.
	OAuth *OAuthClient
	// HTTPHeaders are extra headers SolarNetwork sends to the system (and
	// its OAuth token URL).
	HTTPHeaders map[string]string
	// URLPaths override the OSCP URL path of an action; the path is
	// appended to the system's base URL.
	URLPaths map[Action]string
	// Other holds the properties this package has no field for (such as a
	// group's "group-asset-measurement"), as raw JSON, sent back as they
	// are.
	Other map[string]json.RawMessage
}

// OAuthClient are OAuth client-credentials settings.
type OAuthClient struct {
	// TokenURL is the system's OAuth token endpoint.
	TokenURL string
	// ClientID is the OAuth client id.
	ClientID string
	// ClientSecret is the OAuth client secret. SolarNetwork never returns
	// it, so it is zero in every answer; set it whenever OAuth is sent, since
	// an update replaces all service properties.
	ClientSecret Secret
}

// IsZero reports whether no property is set (so that the field is left
// out of a request).
func (p ServiceProps) IsZero() bool {
	return p.OAuth == nil && len(p.HTTPHeaders) == 0 && len(p.URLPaths) == 0 && len(p.Other) == 0
}

// validate checks what MarshalJSON would refuse, naming the field.
func (p ServiceProps) validate(field string) error {
	if p.OAuth != nil {
		switch {
		case p.OAuth.TokenURL == "":
			return energy.Invalid(field+".OAuth.TokenURL", "required")
		case p.OAuth.ClientID == "":
			return energy.Invalid(field+".OAuth.ClientID", "required")
		}
	}
	for a := range p.URLPaths {
		if !a.Known() {
			return energy.Invalid(field+".URLPaths", "unknown action %q", string(a))
		}
	}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (p ServiceProps) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(p.Other)+5)
	for k, v := range p.Other {
		m[k] = v
	}
	if p.OAuth != nil {
		m[PropOAuthTokenURL] = p.OAuth.TokenURL
		m[PropOAuthClientID] = p.OAuth.ClientID
		if !p.OAuth.ClientSecret.IsZero() {
			m[PropOAuthClientSecret] = p.OAuth.ClientSecret.Reveal()
		}
	}
	if len(p.HTTPHeaders) > 0 {
		m[PropHTTPHeaders] = p.HTTPHeaders
	}
	if len(p.URLPaths) > 0 {
		paths := make(map[string]string, len(p.URLPaths))
		for a, v := range p.URLPaths {
			if !a.Known() {
				return nil, fmt.Errorf("oscp: url-paths: unknown action %q: %w", string(a), energy.ErrInvalid)
			}
			paths[string(a)] = v
		}
		m[PropURLPaths] = paths
	}
	return json.Marshal(m)
}

// UnmarshalJSON implements json.Unmarshaler. Header and path values that
// are not strings are converted to their JSON text, as SolarNetwork does;
// action names are matched case-insensitively.
func (p *ServiceProps) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("oscp: serviceProps: %w", err)
	}
	*p = ServiceProps{}
	var oauth OAuthClient
	var haveOAuth bool
	for k, raw := range m {
		switch k {
		case PropOAuthTokenURL:
			oauth.TokenURL, haveOAuth = stringify(raw), true
		case PropOAuthClientID:
			oauth.ClientID, haveOAuth = stringify(raw), true
		case PropOAuthClientSecret:
			oauth.ClientSecret, haveOAuth = NewSecret(stringify(raw)), true
		case PropHTTPHeaders, PropURLPaths:
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(raw, &obj); err != nil {
				return fmt.Errorf("oscp: serviceProps %s: %w", k, err)
			}
			if k == PropHTTPHeaders {
				p.HTTPHeaders = make(map[string]string, len(obj))
				for n, v := range obj {
					p.HTTPHeaders[n] = stringify(v)
				}
				continue
			}
			p.URLPaths = make(map[Action]string, len(obj))
			for n, v := range obj {
				p.URLPaths[canonicalEnum(n, actionValues)] = stringify(v)
			}
		default:
			if p.Other == nil {
				p.Other = map[string]json.RawMessage{}
			}
			p.Other[k] = raw
		}
	}
	if haveOAuth {
		p.OAuth = &oauth
	}
	return nil
}

// Clone returns a deep copy of p.
func (p ServiceProps) Clone() ServiceProps {
	q := ServiceProps{HTTPHeaders: maps.Clone(p.HTTPHeaders), URLPaths: maps.Clone(p.URLPaths), Other: maps.Clone(p.Other)}
	if p.OAuth != nil {
		o := *p.OAuth
		q.OAuth = &o
	}
	return q
}

// secrets returns the secrets p sends, to redact from errors.
func (p ServiceProps) secrets() []string {
	if p.OAuth == nil || p.OAuth.ClientSecret.IsZero() {
		return nil
	}
	return []string{p.OAuth.ClientSecret.Reveal()}
}
