package openadr

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

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
// and returns the VEN's answer and the number of retries.
func (v *VTN) pushMessage(ctx context.Context, target *url.URL, msg oadr.Message) (pushed, int, error) {
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
		p, err = v.postOnce(ctx, endpoint, send)
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

// postOnce makes one attempt.
func (v *VTN) postOnce(ctx context.Context, endpoint string, b []byte) (pushed, error) {
	ctx, cancel := context.WithTimeout(ctx, v.push.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(b))
	if err != nil {
		return pushed{}, err
	}
	req.Header["Content-Type"] = contentType
	resp, err := v.push.client.Do(req)
	if err != nil {
		return pushed{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, v.maxBody+1))
	switch {
	case err != nil:
		return pushed{}, err
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return pushed{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	case int64(len(body)) > v.maxBody:
		return pushed{}, fmt.Errorf("answer over %d bytes", v.maxBody)
	case len(bytes.TrimSpace(body)) == 0:
		return pushed{}, errors.New("empty answer")
	}
	p := pushed{body: body}
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		p.cert = resp.TLS.PeerCertificates[0]
	}
	return p, nil
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
	c := Caller{Fingerprint: reg.Fingerprint, RemoteAddr: target.Host, pushed: true}
	if answer.cert != nil && reg.Fingerprint != "" && Fingerprint(answer.cert) == reg.Fingerprint {
		c.cert = answer.cert
	}
	reply, _ := v.handle(ctx, svc, c, body)
	if r, ok := reply.(*oadr.Response); ok && r.Response.Code != oadr.CodeOK {
		v.log.InfoContext(ctx, "openadr: push VEN's answer refused", "venID", logID(reg.VenID), "answer", name, "code", int(r.Response.Code), "reason", r.Response.Description)
	}
}
