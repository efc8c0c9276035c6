package rest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects is how many same-origin redirects one attempt follows, as
// net/http does by default.
const maxRedirects = 10

// RedirectError is a redirect that the client refused to follow because it
// leads to another origin (scheme, host or port) than the configured base
// URL's, an https→http downgrade included. Following it would send the
// vendor's credentials, which rest adds to every request, to a server that
// must not see them, and would take that server's answer for the vendor's.
// It wraps no energy sentinel: it is not retried, and retrying would meet
// the same redirect.
type RedirectError struct {
	// Vendor, Method and Endpoint identify the call, as in HTTPError.
	Vendor, Method, Endpoint string
	// From is the configured origin, such as "https://api.amber.com.au".
	From string
	// To is the origin the server redirected to, such as
	// "http://api.amber.com.au:8080".
	To string
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s: %s %s: refused a redirect from %s to another origin, %s (credentials are sent to %s only)",
		e.Vendor, e.Method, e.Endpoint, e.From, e.To, e.From)
}

// origin returns u's scheme://host:port in canonical form, with the
// scheme's default port made explicit so that "https://h" and
// "https://h:443" are one origin.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// displayOrigin is origin without a default port, for messages.
func displayOrigin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// errRedirect is what checkRedirect returns to net/http; Do turns it into a
// *RedirectError with the call's names.
type errRedirect struct{ from, to string }

func (e *errRedirect) Error() string { return "redirect from " + e.from + " to " + e.to }

// withRedirectCheck returns a copy of hc (the caller's client is left as it
// is) whose redirects are checked by c.checkRedirect.
func (c *Client) withRedirectCheck(hc *http.Client) *http.Client {
	return checkingRedirects(hc, c.checkRedirect)
}

// checkingRedirects returns a copy of hc whose redirects pass check first,
// then hc's own CheckRedirect, if any.
func checkingRedirects(hc *http.Client, check func(req *http.Request, via []*http.Request) error) *http.Client {
	cp := *hc
	inner := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := check(req, via); err != nil {
			return err
		}
		if inner != nil {
			return inner(req, via)
		}
		return nil
	}
	return &cp
}

// checkRedirect allows a redirect within the base URL's origin only, and
// signs the redirected request afresh (net/http copies the first request's
// headers, whose signature covered another path).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if to := origin(req.URL); to != c.origin {
		return &errRedirect{from: c.displayOrigin, to: displayOrigin(req.URL)}
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if c.cfg.Sign != nil {
		a, _ := req.Context().Value(attemptKey{}).(*attempt)
		return c.sign(req, a)
	}
	return nil
}

// redirectError returns the refused redirect in err, if any: this call's,
// or one refused by a client of OriginBound's that Sign used (an OAuth2
// token request), which the same redirect would refuse on every attempt.
func (c *Client) redirectError(method, path string, err error) (*RedirectError, bool) {
	if re, ok := errors.AsType[*RedirectError](err); ok {
		return re, true
	}
	var r *errRedirect
	if !errors.As(err, &r) {
		return nil, false
	}
	return &RedirectError{Vendor: c.cfg.Vendor, Method: method, Endpoint: path, From: r.from, To: r.to}, true
}

// OriginBound returns a copy of hc (the caller's client is left as it is)
// that follows redirects within the origin of rawURL only, for a request
// that carries credentials but is not sent by Do, such as an OAuth2 token
// request with the client secret in its form: net/http sends a 307 or 308's
// body on to wherever it leads. A refused redirect fails the request with a
// *RedirectError (inside the *url.Error net/http returns) naming vendor,
// method and rawURL's path.
func OriginBound(hc *http.Client, vendor, method, rawURL string) (*http.Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	from, shown := origin(u), displayOrigin(u)
	return checkingRedirects(hc, func(req *http.Request, via []*http.Request) error {
		if origin(req.URL) != from {
			return &RedirectError{Vendor: vendor, Method: method, Endpoint: u.Path, From: shown, To: displayOrigin(req.URL)}
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}), nil
}
