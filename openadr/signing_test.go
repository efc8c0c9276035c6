package openadr_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
	"github.com/gridwire/gridwire/openadr/ven"
)

// A signing VEN and a signing VTN go through registration, reports, an
// event and telemetry; every message either way is signed, the VEN is
// registered with oadrXmlSignature and the hook sees a signed request.
func TestSignedExchangeEndToEnd(t *testing.T) {
	var signedHook []bool
	w := newSignedWorld(t, openadr.WithRegistrationHook(func(_ context.Context, r openadr.RegistrationRequest) (openadr.Decision, error) {
		signedHook = append(signedHook, r.Caller.Signed)
		return openadr.Approve(), nil
	}))
	v, p, _ := w.newVEN("battery") // trusts the VTN's TLS certificate
	ctx := t.Context()

	require.NoError(t, v.Register(ctx))
	require.NoError(t, drainVEN(ctx, v))
	venID := v.State().VENID
	reg, err := w.vtn.Registration(ctx, venID)
	require.NoError(t, err)
	assert.True(t, reg.XMLSignature, "the VEN asked for signatures")
	assert.Equal(t, []bool{true}, signedHook)

	eventID, err := w.vtn.CreateEvent(ctx, venID, openadr.Event{Start: w.clk.Now().Add(time.Hour),
		Signals: []openadr.Signal{{Name: oadr.SignalSimple, Type: oadr.SignalTypeLevel, Intervals: []openadr.Interval{{Duration: time.Hour, Value: 1}}}}})
	require.NoError(t, err)
	require.NoError(t, drainVEN(ctx, v))
	ev, err := w.vtn.Event(ctx, venID, eventID)
	require.NoError(t, err)
	require.NotNil(t, ev.Response, "the VEN's signed oadrCreatedEvent was taken")
	assert.Equal(t, oadr.OptIn, ev.Response.OptType)

	w.clk.Advance(time.Minute)
	require.NoError(t, drainVEN(ctx, v))
	require.NoError(t, v.Tick(ctx))
	ms, err := w.vtn.Telemetry(ctx, venID)
	require.NoError(t, err)
	assert.NotEmpty(t, ms, "the VEN's signed oadrUpdateReport was taken")

	p.mu.Lock()
	defer p.mu.Unlock()
	require.NotEmpty(t, p.requests)
	for i := range p.requests {
		assert.True(t, isSigned(t, p.requests[i]), "request %d unsigned: %s", i, p.requests[i])
		assert.True(t, isSigned(t, p.answers[i]), "answer %d unsigned: %s", i, p.answers[i])
	}
}

// A VTN that signs with another certificate than its TLS one: the VEN
// trusts it only when told (WithVTNCertificate).
func TestSignedVTNCertificateApartFromTLS(t *testing.T) {
	signing, _ := newTestCA(t).issue(t, "VTN signing")
	w := newSignedWorld(t, openadr.WithSigning(signerOf(t, signing, clock.System())))

	v, _, _ := w.newVEN("battery")
	err := v.Register(t.Context())
	require.ErrorIs(t, err, oadrsig.ErrWrongCertificate, "the TLS certificate did not sign")
	assert.ErrorIs(t, err, energy.ErrUnauthorized)

	v, _, _ = w.newVEN("battery", ven.WithVTNCertificate(signing.Leaf))
	require.NoError(t, v.Register(t.Context()))
}

// Every alteration of a signed request on its way is refused, with 454, or
// 463 for a certificate that is not the client's, in a signed answer; the
// VEN carries on once the alterations stop (but for 463, which makes it
// register again).
func TestSignedRequestTamperingRefused(t *testing.T) {
	other := newTestCA(t)
	stranger, _ := other.issue(t, "stranger")
	cases := []struct {
		name   string
		tamper func(body []byte, venID string) []byte
		code   oadr.ResponseCode
		why    string // in the refusal's description
	}{
		{"signed object", func(b []byte, venID string) []byte {
			return bytes.ReplaceAll(b, []byte(venID), []byte(venID[1:]+"Z"))
		}, oadr.CodeInvalidData, oadrsig.ErrBadSignature.Error()},
		{"nonce", replaceText(`<dsp:nonce>`, "00000000000000000000000000000000"), oadr.CodeInvalidData, oadrsig.ErrBadSignature.Error()},
		{"timestamp", replaceText(`<dsp:timestamp>`, "2020-01-01T00:00:00Z"), oadr.CodeInvalidData, oadrsig.ErrBadSignature.Error()},
		{"digest", replaceText(`<ds:DigestValue>`, base64.StdEncoding.EncodeToString(make([]byte, 32))), oadr.CodeInvalidData, oadrsig.ErrBadSignature.Error()},
		{"signature value", replaceText(`<ds:SignatureValue>`, base64.StdEncoding.EncodeToString(make([]byte, 64))), oadr.CodeInvalidData, oadrsig.ErrBadSignature.Error()},
		{"signature removed", func(b []byte, _ string) []byte {
			return regexp.MustCompile(`(?s)<ds:Signature .*</ds:Signature>`).ReplaceAll(b, nil)
		}, oadr.CodeInvalidData, "oadrXmlSignature"},
		{"another certificate in KeyInfo", replaceText(`<ds:X509Certificate>`, base64.StdEncoding.EncodeToString(stranger.Leaf.Raw)), oadr.CodeNotRegisteredOrAuthorized, oadrsig.ErrWrongCertificate.Error()},
		{"not XML", func([]byte, string) []byte { return []byte("<oadrPayload") }, oadr.CodeInvalidData, "XML"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, v, p, _ := registeredVEN(t)
			ctx := t.Context()
			venID := v.State().VENID

			p.tamperRequest(func(b []byte) []byte { return tc.tamper(b, venID) })
			_, err := v.PollOnce(ctx)
			re, ok := errors.AsType[*ven.ResponseError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.code, re.Code, "%v", err)
			assert.Contains(t, re.Description, tc.why)
			_, answer := p.last()
			assert.True(t, isSigned(t, answer), "the refusal is signed: %s", answer)

			if tc.code != oadr.CodeNotRegisteredOrAuthorized {
				_, err = v.PollOnce(ctx)
				require.NoError(t, err, "untampered polls go through again")
			}
		})
	}
}

// replaceText returns a tampering that replaces the text of the first
// element opened by open.
func replaceText(open, with string) func([]byte, string) []byte {
	re := regexp.MustCompile(regexp.QuoteMeta(open) + `[^<]*`)
	return func(b []byte, _ string) []byte {
		done := false
		return re.ReplaceAllFunc(b, func(m []byte) []byte {
			if done {
				return m
			}
			done = true
			return []byte(open + with)
		})
	}
}

// A VEN signing with a key other than its TLS certificate's is refused
// with 463.
func TestSignedByAnotherKeyRefused(t *testing.T) {
	w := newSignedWorld(t)
	other, _ := w.ca.issue(t, "other")
	v, _, _ := w.newVEN("battery", ven.WithSigning(signerOf(t, other, w.clk)))
	err := v.Register(t.Context())
	re, ok := errors.AsType[*ven.ResponseError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, re.Code)
}

// The two checks of a signer, each alone: a signature made with another
// key is refused even when its KeyInfo names the VEN's own certificate
// (the signature is checked against the certificate the venID is bound
// to, not the one the payload names), and a signature made with the VEN's
// key is refused when its KeyInfo names another certificate (the payload
// must not claim a signer other than the connection's).
func TestSignerChecksEachAlone(t *testing.T) {
	w := newSignedWorld(t)
	cert, _, vc := w.client("battery")
	v, err := ven.New(w.srv.URL, ven.WithHTTPClient(vc), ven.WithClock(w.clk), ven.WithSigning(signerOf(t, cert, w.clk)))
	require.NoError(t, err)
	require.NoError(t, v.Register(t.Context()))
	require.NoError(t, drainVEN(t.Context(), v))
	other, _ := w.ca.issue(t, "other")
	poll := &oadr.Poll{VenID: v.State().VENID}
	ownB64 := base64.StdEncoding.EncodeToString(cert.Leaf.Raw)
	otherB64 := base64.StdEncoding.EncodeToString(other.Leaf.Raw)

	forged, err := signerOf(t, other, w.clk).Marshal(poll)
	require.NoError(t, err)
	forged = bytes.Replace(forged, []byte(otherB64), []byte(ownB64), 1)
	resp, ok := w.post(vc, oadr.ServiceOadrPoll, forged).(*oadr.Response)
	require.True(t, ok)
	assert.NotEqual(t, oadr.CodeOK, resp.Response.Code, "signed by another key, naming the VEN's certificate: %s", resp.Response.Description)

	misnamed, err := signerOf(t, cert, w.clk).Marshal(poll)
	require.NoError(t, err)
	misnamed = bytes.Replace(misnamed, []byte(ownB64), []byte(otherB64), 1)
	resp, ok = w.post(vc, oadr.ServiceOadrPoll, misnamed).(*oadr.Response)
	require.True(t, ok)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, resp.Response.Code, "signed by the VEN's key, naming another certificate: %s", resp.Response.Description)

	good, err := signerOf(t, cert, w.clk).Marshal(poll)
	require.NoError(t, err)
	resp, ok = w.post(vc, oadr.ServiceOadrPoll, good).(*oadr.Response)
	require.True(t, ok)
	assert.Equal(t, oadr.CodeOK, resp.Response.Code, "the same poll, as the VEN signs it")
}

// A signed request sent again, as it was, is refused as a replay and
// changes nothing; one dated outside the window is refused as stale, and
// the window is the VTN's to set.
func TestSignedReplayAndStaleRefused(t *testing.T) {
	t.Run("replay", func(t *testing.T) {
		w, v, p, c := registeredVEN(t)
		ctx := t.Context()
		w.clk.Advance(time.Minute)
		require.NoError(t, drainVEN(ctx, v))
		require.NoError(t, v.Tick(ctx))
		report, _ := p.last()
		require.Contains(t, string(report), "oadrUpdateReport")
		before, err := w.vtn.Telemetry(ctx, v.State().VENID)
		require.NoError(t, err)

		got := w.post(c, oadr.ServiceEiReport, report)
		updated, ok := got.(*oadr.UpdatedReport)
		require.True(t, ok, "%T", got)
		assert.Equal(t, oadr.CodeInvalidData, updated.Response.Code)
		assert.Contains(t, updated.Response.Description, oadrsig.ErrReplay.Error())
		after, err := w.vtn.Telemetry(ctx, v.State().VENID)
		require.NoError(t, err)
		assert.Equal(t, before, after)

		_, err = v.PollOnce(ctx)
		require.NoError(t, err)
		poll, _ := p.last()
		resp, ok := w.post(c, oadr.ServiceOadrPoll, poll).(*oadr.Response)
		require.True(t, ok)
		assert.Equal(t, oadr.CodeInvalidData, resp.Response.Code)
	})
	t.Run("stale", func(t *testing.T) {
		w := newSignedWorld(t)
		cert, _, c := w.client("battery")
		late := clock.NewFake(w.clk.Now().Add(-10 * time.Minute))
		v, err := ven.New(w.srv.URL, ven.WithHTTPClient(c), ven.WithClock(w.clk), ven.WithSigning(signerOf(t, cert, late)))
		require.NoError(t, err)
		err = v.Register(t.Context())
		re, ok := errors.AsType[*ven.ResponseError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, oadr.CodeInvalidData, re.Code)
		assert.Contains(t, re.Description, oadrsig.ErrStale.Error())
	})
	t.Run("wider window", func(t *testing.T) {
		w := newSignedWorld(t, openadr.WithSignatureWindow(15*time.Minute))
		cert, _, c := w.client("battery")
		late := clock.NewFake(w.clk.Now().Add(-10 * time.Minute))
		v, err := ven.New(w.srv.URL, ven.WithHTTPClient(c), ven.WithClock(w.clk), ven.WithSigning(signerOf(t, cert, late)))
		require.NoError(t, err)
		require.NoError(t, v.Register(t.Context()))
	})
}

// The VEN refuses an answer of the VTN that was altered, replayed, stripped
// of its signature or signed by another than the VTN it trusts.
func TestSignedAnswerTamperingRefusedByVEN(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(p *interposer) func([]byte) []byte
		kind   error
	}{
		{"altered", func(*interposer) func([]byte) []byte {
			return func(b []byte) []byte { return bytes.Replace(b, []byte(">200<"), []byte(">201<"), 1) }
		}, oadrsig.ErrBadSignature},
		{"replayed", func(p *interposer) func([]byte) []byte {
			_, earlier := p.last()
			return func([]byte) []byte { return earlier }
		}, oadrsig.ErrReplay},
		{"unsigned", func(*interposer) func([]byte) []byte {
			return func(b []byte) []byte {
				return regexp.MustCompile(`(?s)<ds:Signature .*</ds:Signature>`).ReplaceAll(b, nil)
			}
		}, oadrsig.ErrMissingSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, v, p, _ := registeredVEN(t)
			ctx := t.Context()
			p.tamperAnswer(tc.tamper(p))
			_, err := v.PollOnce(ctx)
			require.ErrorIs(t, err, tc.kind)
			assert.ErrorIs(t, err, energy.ErrUnauthorized)
			_, err = v.PollOnce(ctx)
			require.NoError(t, err, "untampered answers are taken again")
		})
	}
	t.Run("another VTN", func(t *testing.T) {
		w := newSignedWorld(t)
		impostor, _ := w.ca.issue(t, "impostor")
		v, _, _ := w.newVEN("battery", ven.WithVTNCertificate(impostor.Leaf))
		require.ErrorIs(t, v.Register(t.Context()), oadrsig.ErrWrongCertificate)
	})
}

// A VEN that registered with oadrXmlSignature true cannot send unsigned
// messages, nor register with it unsigned; a VEN that did not ask for
// signatures works unsigned (and gets signed answers) unless the VTN
// requires signatures of every VEN.
func TestUnsignedFromSigningVENRefused(t *testing.T) {
	w := newSignedWorld(t)
	v, _, c := w.newVEN("battery")
	ctx := t.Context()
	require.NoError(t, v.Register(ctx))
	venID := v.State().VENID

	body, err := oadr.Marshal(&oadr.Poll{VenID: venID})
	require.NoError(t, err)
	resp, ok := w.post(c, oadr.ServiceOadrPoll, body).(*oadr.Response)
	require.True(t, ok)
	assert.Equal(t, oadr.CodeInvalidData, resp.Response.Code)
	_, err = v.PollOnce(ctx)
	require.NoError(t, err, "the VEN itself, signing, still gets through")

	reg := freshRegistration("R1")
	reg.XMLSignature = true
	body, err = oadr.Marshal(reg)
	require.NoError(t, err)
	created, ok := w.post(c, oadr.ServiceEiRegisterParty, body).(*oadr.CreatedPartyRegistration)
	require.True(t, ok)
	assert.Equal(t, oadr.CodeInvalidData, created.Response.Code)

	// Signatures are each VEN's choice by default...
	_, _, plain := w.client("plain")
	body, err = oadr.Marshal(freshRegistration("R2"))
	require.NoError(t, err)
	created, ok = w.post(plain, oadr.ServiceEiRegisterParty, body).(*oadr.CreatedPartyRegistration)
	require.True(t, ok)
	require.Equal(t, oadr.CodeOK, created.Response.Code)
	body, err = oadr.Marshal(&oadr.Poll{VenID: created.VenID})
	require.NoError(t, err)
	_, ok = w.post(plain, oadr.ServiceOadrPoll, body).(*oadr.RegisterReport)
	assert.True(t, ok, "its unsigned poll is served")

	// ...unless the VTN requires them.
	strict := newSignedWorld(t, openadr.WithRequiredSignatures())
	_, _, plain = strict.client("plain")
	body, err = oadr.Marshal(freshRegistration("R3"))
	require.NoError(t, err)
	created, ok = strict.post(plain, oadr.ServiceEiRegisterParty, body).(*oadr.CreatedPartyRegistration)
	require.True(t, ok)
	assert.Equal(t, oadr.CodeInvalidData, created.Response.Code)
	assert.Contains(t, created.Response.Description, oadrsig.ErrMissingSignature.Error())
	sv, _, _ := strict.newVEN("battery")
	require.NoError(t, sv.Register(ctx), "a signing VEN registers")
}

// Without WithSigning the VTN neither signs nor checks: its answer to a
// signed request is byte for byte its answer to the same request unsigned,
// as before signatures existed.
func TestSigningOffUnchanged(t *testing.T) {
	ca := newTestCA(t)
	vtn, err := openadr.NewVTN("VTN_PLAIN", openadr.WithClock(clock.NewFake(t0)), openadr.WithRedeliverAfter(0)) // drained unanswered
	require.NoError(t, err)
	srv := tlsVTN(t, ca, vtn)
	cert, _ := ca.issue(t, "ven")
	c := tlsClient(t, srv, cert)
	created := postAs(t, c, srv.URL, oadr.ServiceEiRegisterParty, freshRegistration("R1")).(*oadr.CreatedPartyRegistration)
	require.Equal(t, oadr.CodeOK, created.Response.Code)

	poll := &oadr.Poll{VenID: created.VenID}
	for range 5 { // the VTN's own oadrRegisterReport first
		if _, ok := postAs(t, c, srv.URL, oadr.ServiceOadrPoll, poll).(*oadr.Response); ok {
			break
		}
	}
	unsigned, err := oadr.Marshal(poll)
	require.NoError(t, err)
	signed, err := signerOf(t, cert, clock.System()).Marshal(poll)
	require.NoError(t, err)
	want, err := oadr.Marshal(&oadr.Response{Response: oadr.OK(""), VenID: created.VenID})
	require.NoError(t, err)
	for _, body := range [][]byte{unsigned, signed, signed} { // a replay is no matter either
		resp, err := c.Post(srv.URL+openadr.PathPrefix+string(oadr.ServiceOadrPoll), "application/xml", bytes.NewReader(body))
		require.NoError(t, err)
		got := new(bytes.Buffer)
		_, err = got.ReadFrom(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, string(want), got.String())
	}
}

// Signatures over plain HTTP: the VTN has no client certificate to trust a
// signature by, and refuses it with 463.
func TestSignedOverPlainHTTPRefused(t *testing.T) {
	clk := clock.NewFake(time.Now())
	ca := newTestCA(t)
	cert, _ := ca.issue(t, "ven")
	vtnCert, _ := ca.issue(t, "vtn")
	vtn, err := openadr.NewVTN("VTN_SIGNED", openadr.WithClock(clk), openadr.WithSigning(signerOf(t, vtnCert, clk)))
	require.NoError(t, err)
	srv := httptest.NewServer(recording(t, vtn))
	t.Cleanup(srv.Close)
	t.Cleanup(srv.Client().CloseIdleConnections)
	v, err := ven.New(srv.URL, ven.WithHTTPClient(srv.Client()), ven.WithClock(clk),
		ven.WithSigning(signerOf(t, cert, clk)), ven.WithVTNCertificate(vtnCert.Leaf))
	require.NoError(t, err)
	err = v.Register(t.Context())
	re, ok := errors.AsType[*ven.ResponseError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, re.Code, "the refusal itself verified")
}

func TestSigningOptionsInvalid(t *testing.T) {
	ca := newTestCA(t)
	cert, _ := ca.issue(t, "vtn")
	signer := signerOf(t, cert, clock.System())
	cases := []struct {
		opts  []openadr.Option
		field string
	}{
		{[]openadr.Option{openadr.WithSigning(nil)}, "WithSigning"},
		{[]openadr.Option{openadr.WithRequiredSignatures()}, "WithRequiredSignatures"},
		{[]openadr.Option{openadr.WithSignatureWindow(time.Minute)}, "WithSignatureWindow"},
		{[]openadr.Option{openadr.WithSigning(signer), openadr.WithSignatureWindow(0)}, "WithSignatureWindow"},
	}
	for _, tc := range cases {
		_, err := openadr.NewVTN("VTN_X", tc.opts...)
		fe, ok := errors.AsType[*energy.FieldError](err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, tc.field, fe.Field)
	}
}
