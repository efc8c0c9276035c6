package snws2

import "net/http"

// Transport returns an http.RoundTripper that signs every request with s
// before handing a signed copy to base (nil means
// http.DefaultTransport). Each retry or redirect that goes through it is
// signed afresh. The caller's request is not modified.
func (s *Signer) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{s: s, base: base}
}

type transport struct {
	s    *Signer
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if err := t.s.Sign(r); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(r)
}
