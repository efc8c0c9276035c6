package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/syncbuf"
	"github.com/gridwire/gridwire/internal/testpki"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// With -sign and -push-addr the command is a signing push VEN: against a
// VTN that requires signatures, over TLS with client certificates, it
// registers, serves pushes over TLS with its certificate, and takes an
// event the VTN pushes to it, signed both ways.
func TestSignedPushVEN(t *testing.T) {
	ca := testpki.NewCA(t, "fleet")
	server, client := ca.Server("vtn"), ca.Client("ven")
	signer, err := oadrsig.NewSigner(server.PrivateKey.(crypto.Signer), server.Leaf)
	require.NoError(t, err)
	// Polls an hour apart: after its first, the VEN hears of the event by
	// the push alone.
	vtn, err := openadr.NewVTN("VTN_PUSH", openadr.WithSigning(signer), openadr.WithRequiredSignatures(),
		openadr.WithPollFrequency(time.Hour))
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(vtn)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.Pool(),
		Certificates: []tls.Certificate{server.Certificate}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := new(syncbuf.Buffer)
	var errs bytes.Buffer
	registered := make(chan struct{})
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-vtn", srv.URL, "-cert", client.CertFile, "-key", client.KeyFile, "-ca", ca.File,
			"-sign", "-push-addr", "127.0.0.1:0", "-status", "0"}, &notify{w: out, match: "registered as", ch: registered}, &errs)
	}()
	select {
	case <-registered:
	case code := <-done:
		require.FailNow(t, "the VEN stopped", "exit %d: %s", code, errs.String())
	case <-time.After(10 * time.Second):
		require.FailNow(t, "the VEN did not register", errs.String())
	}
	pushURL := regexp.MustCompile(`listening for the VTN's pushes at (https://127\.0\.0\.1:\d+)`).FindStringSubmatch(out.String())
	require.NotNil(t, pushURL, out.String())
	regs, err := vtn.Registrations(ctx)
	require.NoError(t, err)
	require.Len(t, regs, 1)
	reg := regs[0]
	assert.True(t, reg.Push)
	assert.True(t, reg.XMLSignature)
	assert.Equal(t, pushURL[1], reg.TransportAddress)

	dispatch, err := openadr.LoadDispatch(openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 2000})
	require.NoError(t, err)
	// The VEN's first poll may still be draining what registration
	// queued (report requests); pushes wait for nothing of it.
	require.Eventually(t, func() bool {
		q, err := vtn.Queue(ctx, reg.VenID)
		require.NoError(t, err)
		return len(q) == 0
	}, 10*time.Second, 20*time.Millisecond)
	eventID, err := vtn.CreateEvent(ctx, reg.VenID, openadr.Event{Start: time.Now().Add(time.Hour), Signals: []openadr.Signal{dispatch}})
	require.NoError(t, err)
	stats, err := vtn.DeliverTo(ctx, reg.VenID)
	require.NoError(t, err)
	assert.Equal(t, openadr.PushStats{Pushed: 1}, stats)
	ev, err := vtn.Event(ctx, reg.VenID, eventID)
	require.NoError(t, err)
	require.NotNil(t, ev.Response, "the VEN's signed answer to the push was taken")
	assert.Equal(t, oadr.OptIn, ev.Response.OptType)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errs.String())
	case <-time.After(10 * time.Second):
		require.FailNow(t, "the VEN did not stop")
	}
	assert.NotContains(t, out.String(), "refused", "no signature was refused")
}
