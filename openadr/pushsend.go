package openadr

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// One push: the message posted to the VEN's service, with retries and
// backoff, and the VEN's answer handed to the VTN's request handling.

// pushService is the VEN service a VTN-initiated message is posted to.
func pushService(msg oadr.Message) oadr.ServiceName {
	switch msg.(type) {
	case *oadr.DistributeEvent:
		return oadr.ServiceEiEvent
	case *oadr.CancelPartyRegistration, *oadr.RequestReregistration:
		return oadr.ServiceEiRegisterParty
	}
	return oadr.ServiceEiReport
}

// pushMessage posts msg, signed when the VTN signs, retrying with backoff,
// to the push server of a VEN bound to the certificate pin (its
// fingerprint; "" for none), and returns the VEN's answer and the number of
// retries.
func (v *VTN) pushMessage(ctx context.Context, target *url.URL, pin string, msg oadr.Message) (pushed, int, error) {
	b, err := oadr.Marshal(msg)
	if err != nil {
		return pushed{}, 0, fmt.Errorf("encoding %s: %w", msg.MessageName(), err)
	}
	if d, ok := msg.(*oadr.DistributeEvent); ok && len(b) > v.maxAnswer {
		// As for a poll answer: the part that matters most (a copy: msg
		// may be an application's queued message).
		trimmed := *d
		left := v.fit(&trimmed, len(b))
		v.log.WarnContext(ctx, "openadr: pushed event list trimmed to the answer size limit", "sent", len(trimmed.Events), "leftOut", left, "limit", v.maxAnswer)
		if b, err = oadr.Marshal(&trimmed); err != nil {
			return pushed{}, 0, fmt.Errorf("encoding %s: %w", msg.MessageName(), err)
		}
	}
	endpoint := target.JoinPath(strings.Trim(PathPrefix, "/"), string(pushService(msg))).String()
	retries := 0
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := v.clock.Sleep(ctx, v.push.wait(attempt)); err != nil {
				return pushed{}, retries, err
			}
			retries++
		}
		send := b
		if v.sig != nil {
			// Signed for each attempt: a new nonce, so that a retry of a
			// push that did arrive is no replay to the VEN.
			if send, err = v.sig.signer.Sign(b); err != nil {
				return pushed{}, retries, fmt.Errorf("signing %s: %w", msg.MessageName(), err)
			}
		}
		var p pushed
		p, err = v.postOnce(ctx, endpoint, pin, send)
		if err == nil {
			return p, retries, nil
		}
		if ctx.Err() != nil || attempt >= v.push.retries {
			return pushed{}, retries, err
		}
	}
}

// pushed is a push VEN's answer: the body, and the certificate its TLS
// server presented, if any.
type pushed struct {
	body []byte
	cert *x509.Certificate
}

// postOnce makes one attempt. With a pin, the message is sent only once
// the connection's server has presented the certificate of that
// fingerprint: the body is read from pinnedBody, which gives nothing until
// the connection (known to net/http's transport through httptrace's
// GotConn, before it writes the request) is checked, so that a transport
// that skips the hook sends nothing either. A server that is not the VEN's
// sees at most the request line and headers, never the message.
func (v *VTN) postOnce(ctx context.Context, endpoint, pin string, b []byte) (pushed, error) {
	ctx, cancel := context.WithTimeout(ctx, v.push.timeout)
	defer cancel()
	var body io.Reader = bytes.NewReader(b)
	var pinned *pinnedBody
	if pin != "" {
		pinned = &pinnedBody{pin: pin, r: bytes.NewReader(b)}
		body = pinned
		ctx = httptrace.WithClientTrace(context.WithValue(ctx, pinKey{}, pin), &httptrace.ClientTrace{GotConn: pinned.gotConn})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, body)
	if err != nil {
		return pushed{}, err
	}
	req.ContentLength = int64(len(b))
	req.Header["Content-Type"] = contentType
	resp, err := v.push.client.Do(req)
	if err != nil {
		if pinned != nil && pinned.refused() != nil {
			return pushed{}, pinned.refused()
		}
		return pushed{}, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, v.maxBody+1))
	switch {
	case err != nil:
		return pushed{}, err
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return pushed{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	case int64(len(answer)) > v.maxBody:
		return pushed{}, fmt.Errorf("answer over %d bytes", v.maxBody)
	case len(bytes.TrimSpace(answer)) == 0:
		return pushed{}, errors.New("empty answer")
	}
	p := pushed{body: answer}
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		p.cert = resp.TLS.PeerCertificates[0]
	}
	if pin != "" && (p.cert == nil || Fingerprint(p.cert) != pin) {
		// Not reached with net/http's transports, which pinnedBody
		// checks; a transport of another kind answered without the
		// pinned certificate.
		return pushed{}, errors.New("the answer did not come from the VEN's certificate")
	}
	return p, nil
}

// pinnedBody is a push's body, readable only once the connection's server
// has presented the certificate of fingerprint pin.
type pinnedBody struct {
	pin string
	r   *bytes.Reader

	mu      sync.Mutex
	checked bool  // a connection was checked
	err     error // why it was refused
}

// gotConn checks the connection the request is about to be written to.
// A connection refused is not closed: it may be another push's, to the
// server it does belong to (HTTP/2 shares one per address); the body's
// refusal to be read ends this request alone.
func (p *pinnedBody) gotConn(info httptrace.GotConnInfo) {
	var err error
	tc, ok := info.Conn.(*tls.Conn)
	switch {
	case !ok:
		err = errors.New("push refused: the connection to the push server is not TLS")
	case len(tc.ConnectionState().PeerCertificates) == 0:
		err = errors.New("push refused: the VEN's push server presented no certificate")
	default:
		if got := Fingerprint(tc.ConnectionState().PeerCertificates[0]); got != p.pin {
			err = fmt.Errorf("push refused: the push server presented certificate %s, not the VEN's %s", got, p.pin)
		}
	}
	p.mu.Lock()
	p.checked, p.err = true, err
	p.mu.Unlock()
}

func (p *pinnedBody) Read(b []byte) (int, error) {
	p.mu.Lock()
	checked, err := p.checked, p.err
	p.mu.Unlock()
	switch {
	case err != nil:
		return 0, err
	case !checked:
		return 0, errors.New("push refused: the connection was not checked against the VEN's certificate (the push client's transport does not report it)")
	}
	return p.r.Read(b)
}

// refused returns why the connection was refused, or nil.
func (p *pinnedBody) refused() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.checked {
		return nil
	}
	return p.err
}

// takePushAnswer hands the VEN's answer to the VTN's request handling, at
// the service that takes it, as if the VEN had posted it, from the
// certificate its venID is bound to (see the push doc). The VTN's own
// answer to it has nowhere to go; a refusal is logged.
func (v *VTN) takePushAnswer(ctx context.Context, reg Registration, target *url.URL, sent oadr.Message, answer pushed) {
	body := answer.body
	m, err := oadr.Unmarshal(body)
	if err != nil {
		v.log.InfoContext(ctx, "openadr: push VEN answered with a malformed message", "venID", logID(reg.VenID), "message", sent.MessageName(), "err", err)
		return
	}
	name := m.MessageName()
	var svc oadr.ServiceName
	for s := range services {
		if s != oadr.ServiceOadrPoll && served(s, name) {
			svc = s
		}
	}
	if svc == "" {
		v.log.InfoContext(ctx, "openadr: push VEN answered with a message a VEN does not send", "venID", logID(reg.VenID), "answer", name)
		return
	}
	c := Caller{Fingerprint: reg.Fingerprint, RemoteAddr: target.Host}
	if reg.Fingerprint != "" {
		c.cert = answer.cert // pinned: postOnce checked it is the VEN's
	}
	reply, _ := v.handle(ctx, svc, c, body)
	if r, ok := reply.(*oadr.Response); ok && r.Response.Code != oadr.CodeOK {
		v.log.InfoContext(ctx, "openadr: push VEN's answer refused", "venID", logID(reg.VenID), "answer", name, "code", int(r.Response.Code), "reason", r.Response.Description)
	}
}
