package openadr_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
	"github.com/gridwire/gridwire/openadr/ven"
)

// issueServer returns a server certificate for 127.0.0.1 from ca: the
// VTN's TLS certificate, which it also signs its messages with unless a
// test gives it another.
func (ca *testCA) issueServer(t *testing.T) tls.Certificate {
	t.Helper()
	return ca.Server("VTN_SIGNED").Certificate
}

// signerOf returns a Signer for a TLS certificate's key, dating signatures
// by clk.
func signerOf(t *testing.T, cert tls.Certificate, clk clock.Clock) *oadrsig.Signer {
	t.Helper()
	s, err := oadrsig.NewSigner(cert.PrivateKey.(*ecdsa.PrivateKey), cert.Leaf, oadrsig.WithClock(clk))
	require.NoError(t, err)
	return s
}

// signedWorld is a VTN serving TLS with client certificates from ca, signing
// with its server certificate, on a fake clock shared by everyone.
type signedWorld struct {
	t       *testing.T
	clk     *clock.Fake
	ca      *testCA
	vtnCert tls.Certificate
	vtn     *openadr.VTN
	srv     *httptest.Server
}

func newSignedWorld(t *testing.T, opts ...openadr.Option) *signedWorld {
	t.Helper()
	w := &signedWorld{t: t, clk: clock.NewFake(time.Now().UTC().Truncate(time.Minute)), ca: newTestCA(t)}
	w.vtnCert = w.ca.issueServer(t)
	all := append([]openadr.Option{openadr.WithClock(w.clk), openadr.WithSigning(signerOf(t, w.vtnCert, w.clk)),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(10*time.Second, time.Minute))}, opts...)
	var err error
	w.vtn, err = openadr.NewVTN("VTN_SIGNED", all...)
	require.NoError(t, err)
	w.srv = httptest.NewUnstartedServer(recording(t, w.vtn))
	w.srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: w.ca.pool,
		Certificates: []tls.Certificate{w.vtnCert}, MinVersion: tls.VersionTLS12}
	w.srv.StartTLS()
	t.Cleanup(w.srv.Close)
	t.Cleanup(w.srv.Client().CloseIdleConnections)
	return w
}

// client returns a new client certificate for the VEN (the CA numbers them)
// and an HTTP client presenting it through an interposer.
func (w *signedWorld) client(name string) (tls.Certificate, *interposer, *http.Client) {
	cert, _ := w.ca.issue(w.t, name)
	c := tlsClient(w.t, w.srv, cert)
	p := &interposer{next: c.Transport}
	return cert, p, &http.Client{Transport: p}
}

// newVEN returns a VEN with its own certificate that signs with it.
func (w *signedWorld) newVEN(name string, opts ...ven.Option) (*ven.VEN, *interposer, *http.Client) {
	cert, p, c := w.client(name)
	v, err := ven.New(w.srv.URL, append([]ven.Option{ven.WithHTTPClient(c), ven.WithClock(w.clk),
		ven.WithVENName(name), ven.WithSigning(signerOf(w.t, cert, w.clk))}, opts...)...)
	require.NoError(w.t, err)
	return v, p, c
}

// registeredVEN returns a world with one signing VEN, registered and with
// nothing left for it to poll.
func registeredVEN(t *testing.T) (*signedWorld, *ven.VEN, *interposer, *http.Client) {
	t.Helper()
	w := newSignedWorld(t)
	v, p, c := w.newVEN("battery")
	require.NoError(t, v.Register(t.Context()))
	require.NoError(t, drainVEN(t.Context(), v))
	return w, v, p, c
}

// post sends body as it is and returns the answer, after checking that the
// VTN signed it.
func (w *signedWorld) post(c *http.Client, svc oadr.ServiceName, body []byte) oadr.Message {
	w.t.Helper()
	resp, err := c.Post(w.srv.URL+openadr.PathPrefix+string(svc), "application/xml", bytes.NewReader(body))
	require.NoError(w.t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(w.t, err)
	require.Equal(w.t, http.StatusOK, resp.StatusCode, "%s", out)
	verifier, err := oadrsig.NewVerifier(oadrsig.WithCertificate(w.vtnCert.Leaf), oadrsig.WithClock(w.clk))
	require.NoError(w.t, err)
	got, err := verifier.Verify(w.t.Context(), out)
	require.NoError(w.t, err, "the VTN's answer is signed with its certificate")
	return got.Message
}

// tap records the requests and answers of one path between a VEN and the
// VTN and, when armed, rewrites the next request or the next answer. The
// interposer (on a VEN's HTTP client) and the pushTap (in front of a push
// VEN's server) are its two ends.
type tap struct {
	mu                  sync.Mutex
	requests, answers   [][]byte
	onRequest, onAnswer func([]byte) []byte // one-shot
}

func (p *tap) tamperRequest(f func([]byte) []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onRequest = f
}

func (p *tap) tamperAnswer(f func([]byte) []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onAnswer = f
}

func (p *tap) last() (request, answer []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests[len(p.requests)-1], p.answers[len(p.answers)-1]
}

func (p *tap) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.requests)
}

// request returns the request as it goes on: rewritten, if armed.
func (p *tap) request(body []byte) []byte {
	p.mu.Lock()
	f := p.onRequest
	p.onRequest = nil
	p.mu.Unlock()
	if f != nil {
		body = f(bytes.Clone(body))
	}
	return body
}

// answer records the exchange and returns the answer as it goes on:
// rewritten, if armed.
func (p *tap) answer(request, answer []byte) []byte {
	p.mu.Lock()
	g := p.onAnswer
	p.onAnswer = nil
	p.requests, p.answers = append(p.requests, request), append(p.answers, bytes.Clone(answer))
	p.mu.Unlock()
	if g != nil {
		answer = g(bytes.Clone(answer))
	}
	return answer
}

// interposer stands between a VEN and the VTN, on the VEN's HTTP client.
type interposer struct {
	tap
	next http.RoundTripper
}

func (p *interposer) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	body = p.request(body)
	out := r.Clone(r.Context())
	out.Body, out.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp, err := p.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	ans, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	ans = p.answer(body, ans)
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(ans)), int64(len(ans))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// isSigned reports whether an encoded payload carries a ds:Signature.
func isSigned(t *testing.T, body []byte) bool {
	t.Helper()
	p, err := oadr.DecodePayload(bytes.NewReader(body))
	require.NoError(t, err, "%s", body)
	return p.Signed
}
