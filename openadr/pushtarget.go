package openadr

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// A push VEN names the URL the VTN posts to, so a client that may register
// can make the VTN send requests wherever it likes: to the cloud metadata
// service, to an admin port on the VTN's own network. Three layers limit
// that (server-side request forgery):
//
//   - the address must be an absolute http or https URL with a host, without
//     user information, query or fragment, and not a link-local, multicast or
//     unspecified IP address (checkPushAddress, at registration and before
//     every push);
//   - the default push client refuses, when it dials, link-local, multicast
//     and unspecified addresses whatever a host name resolved to (so that a
//     name resolving to 169.254.169.254 is caught too), and follows no
//     redirects;
//   - WithPushTargetCheck lets the application allow only the targets it
//     knows (its VENs' networks or host names); production deployments
//     should set it. Loopback and private addresses are allowed by default
//     because VENs on a site network and tests on 127.0.0.1 use them.

// PushTargetCheck decides whether the VTN may push to a VEN's transport
// address; a non-nil error refuses it. It is called at registration (venID
// is then the one the VEN sent, possibly "") and before every push.
type PushTargetCheck func(ctx context.Context, venID string, target *url.URL) error

// checkPushAddress parses and checks the oadrTransportAddress of a push
// VEN bound to the certificate of fingerprint ("" for none): such a VEN
// must give an https address, whose server the VTN pins to that
// certificate (see postOnce).
func checkPushAddress(addr, fingerprint string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(addr))
	switch {
	case err != nil:
		return nil, errors.New("not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("scheme %q is not http or https", u.Scheme)
	case u.Host == "" || u.Hostname() == "":
		return nil, errors.New("no host")
	case u.User != nil:
		return nil, errors.New("user information is not allowed")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, errors.New("a query or fragment is not allowed")
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !pushableIP(ip) {
		return nil, fmt.Errorf("address %s is link-local, multicast or unspecified", ip)
	}
	if fingerprint != "" && u.Scheme != "https" {
		return nil, errors.New("a VEN bound to a client certificate must give an https address, served with that certificate")
	}
	return u, nil
}

// pushableIP refuses the addresses no VEN has: link-local (where cloud
// metadata services live), multicast, unspecified.
func pushableIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsLinkLocalUnicast() && !ip.IsLinkLocalMulticast() && !ip.IsInterfaceLocalMulticast() &&
		!ip.IsMulticast() && !ip.IsUnspecified()
}

// defaultPushClient follows no redirects (a VEN could redirect the VTN
// elsewhere) and refuses unpushable addresses when it dials. Over TLS it
// checks a push server as a web client would (system roots, host name),
// except for a VEN bound to a certificate: that server is authenticated by
// the pin postOnce checks, and its certificate, an OpenADR device
// certificate, is neither issued by a system root nor names a host.
func defaultPushClient() *http.Client {
	d := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("openadr: push to %q refused: %w", address, err)
			}
			if !pushableIP(ap.Addr()) {
				return fmt.Errorf("openadr: push to %s refused: link-local, multicast or unspecified address", ap.Addr())
			}
			return nil
		},
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // a proxy would dial for us, unchecked
	tr.DialContext = d.DialContext
	pinned := tr.Clone()
	pinned.TLSClientConfig = &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The pin is the check (pinnedBody): the exact certificate the
		// VEN registered with, before anything is sent.
		InsecureSkipVerify: true, //nolint:gosec // see above
	}
	return &http.Client{
		Transport:     &pushTransport{checked: tr, pinned: pinned},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// pushTransport sends a push to a pinned VEN through pinned, any other
// through checked.
type pushTransport struct{ checked, pinned *http.Transport }

// pinKey marks the context of a push that postOnce pins.
type pinKey struct{}

func (t *pushTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Context().Value(pinKey{}) != nil {
		return t.pinned.RoundTrip(r)
	}
	return t.checked.RoundTrip(r)
}
