package oadrsig_test

import (
	"context"
	"crypto/x509"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

func TestReplayIsRejected(t *testing.T) {
	_, ecP, _ := parties(t)
	clk := clock.NewFake(t0)
	s := newSigner(t, ecP, clk)
	v := newVerifier(t, ecP, clk)
	doc := signedDoc(t, s, sampleReport())
	_, err := v.Verify(context.Background(), doc)
	require.NoError(t, err)

	clk.Advance(time.Minute)
	_, err = v.Verify(context.Background(), doc)
	assert.ErrorIs(t, err, oadrsig.ErrReplay)
	assert.ErrorIs(t, err, energy.ErrUnauthorized)

	// The same message signed again has a fresh nonce.
	_, err = v.Verify(context.Background(), signedDoc(t, s, sampleReport()))
	require.NoError(t, err)
}

func TestReplayUnderConcurrency(t *testing.T) {
	_, ecP, _ := parties(t)
	clk := clock.NewFake(t0)
	doc := signedDoc(t, newSigner(t, ecP, clk), sampleReport())
	v := newVerifier(t, ecP, clk)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Go(func() {
			if _, err := v.Verify(context.Background(), doc); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else {
				assert.ErrorIs(t, err, oadrsig.ErrReplay)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, ok, "exactly one copy is accepted")
}

func TestTimestampWindow(t *testing.T) {
	_, ecP, _ := parties(t)
	for _, c := range []struct {
		name  string
		skew  time.Duration // verifier's clock minus signer's
		valid bool
	}{
		{"on time", 0, true},
		{"at the edge", time.Minute, true},
		{"stale", time.Minute + time.Second, false},
		{"from the future, within", -time.Minute, true},
		{"from the future", -time.Minute - time.Second, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := signedDoc(t, newSigner(t, ecP, clock.NewFake(t0)), sampleReport())
			v := newVerifier(t, ecP, clock.NewFake(t0.Add(c.skew)), oadrsig.WithWindow(time.Minute))
			_, err := v.Verify(context.Background(), doc)
			if c.valid {
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, oadrsig.ErrStale)
			assert.ErrorIs(t, err, energy.ErrUnauthorized)
		})
	}
}

// TestNonceMemoryIsBounded: with room for two nonces, a third payload
// pushes out the oldest, whose replay is then refused as stale, never
// accepted.
func TestNonceMemoryIsBounded(t *testing.T) {
	_, ecP, _ := parties(t)
	clk := clock.NewFake(t0)
	s := newSigner(t, ecP, clk)
	v := newVerifier(t, ecP, clk, oadrsig.WithMaxNonces(2))
	var docs [][]byte
	for range 3 {
		docs = append(docs, signedDoc(t, s, sampleReport()))
		clk.Advance(time.Second)
	}
	for _, d := range docs {
		_, err := v.Verify(context.Background(), d)
		require.NoError(t, err)
	}
	assert.Equal(t, 2, oadrsig.NonceCount(v))
	for _, d := range docs {
		_, err := v.Verify(context.Background(), d)
		require.Error(t, err)
		assert.ErrorIs(t, err, energy.ErrUnauthorized)
	}
	_, err := v.Verify(context.Background(), docs[0])
	assert.ErrorIs(t, err, oadrsig.ErrStale)

	// Nonces leave with the window.
	clk.Advance(oadrsig.DefaultWindow + 10*time.Second)
	_, err = v.Verify(context.Background(), signedDoc(t, s, sampleReport()))
	require.NoError(t, err)
	assert.Equal(t, 1, oadrsig.NonceCount(v))
}

func TestLookup(t *testing.T) {
	rsaP, ecP, _ := parties(t)
	clk := clock.NewFake(t0)
	registry := map[string]*x509.Certificate{"VEN_RSA": rsaP.cert, "VEN_EC": ecP.cert}
	var peers []oadrsig.Peer
	down := errors.New("registry down")
	v, err := oadrsig.NewVerifier(oadrsig.WithClock(clk), oadrsig.WithLookup(func(_ context.Context, p oadrsig.Peer) (*x509.Certificate, error) {
		peers = append(peers, p)
		if p.VenID == "VEN_DOWN" {
			return nil, down
		}
		return registry[p.VenID], nil
	}))
	require.NoError(t, err)

	poll := func(ven string, p party) []byte {
		return signedDoc(t, newSigner(t, p, clk), &oadr.Poll{VenID: ven})
	}
	got, err := v.Verify(context.Background(), poll("VEN_RSA", rsaP))
	require.NoError(t, err)
	assert.Equal(t, &oadr.Poll{VenID: "VEN_RSA"}, got.Message)
	require.Len(t, peers, 1)
	assert.Equal(t, "VEN_RSA", peers[0].VenID)
	assert.Equal(t, "oadrPoll", peers[0].Message)
	assert.True(t, peers[0].Certificate.Equal(rsaP.cert))

	_, err = v.Verify(context.Background(), poll("VEN_EC", ecP))
	require.NoError(t, err)

	// A VEN signing as another.
	_, err = v.Verify(context.Background(), poll("VEN_RSA", ecP))
	assert.ErrorIs(t, err, oadrsig.ErrWrongCertificate)
	var se *oadrsig.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, se.ResponseCode())

	_, err = v.Verify(context.Background(), poll("VEN_UNKNOWN", ecP))
	assert.ErrorIs(t, err, oadrsig.ErrWrongCertificate)

	_, err = v.Verify(context.Background(), poll("VEN_DOWN", ecP))
	assert.ErrorIs(t, err, down)
	assert.False(t, errors.As(err, &se), "a lookup failure is not the peer's")
}

func TestOptionsAreValidated(t *testing.T) {
	rsaP, ecP, _ := parties(t)
	var fe *energy.FieldError
	for name, c := range map[string]struct {
		field string
		err   func() error
	}{
		"nil key":         {"key", func() error { _, err := oadrsig.NewSigner(nil, ecP.cert); return err }},
		"nil cert":        {"cert", func() error { _, err := oadrsig.NewSigner(ecP.key, nil); return err }},
		"cert of another": {"cert", func() error { _, err := oadrsig.NewSigner(ecP.key, rsaP.cert); return err }},
		"nil clock":       {"WithClock", func() error { _, err := oadrsig.NewSigner(ecP.key, ecP.cert, oadrsig.WithClock(nil)); return err }},
		"no trust":        {"WithCertificate", func() error { _, err := oadrsig.NewVerifier(); return err }},
		"nil certificate": {"WithCertificate", func() error { _, err := oadrsig.NewVerifier(oadrsig.WithCertificate(nil)); return err }},
		"nil lookup":      {"WithLookup", func() error { _, err := oadrsig.NewVerifier(oadrsig.WithLookup(nil)); return err }},
		"both": {"WithLookup", func() error {
			_, err := oadrsig.NewVerifier(oadrsig.WithCertificate(ecP.cert), oadrsig.WithLookup(func(context.Context, oadrsig.Peer) (*x509.Certificate, error) { return nil, nil }))
			return err
		}},
		"zero window": {"WithWindow", func() error {
			_, err := oadrsig.NewVerifier(oadrsig.WithCertificate(ecP.cert), oadrsig.WithWindow(0))
			return err
		}},
		"no nonces": {"WithMaxNonces", func() error {
			_, err := oadrsig.NewVerifier(oadrsig.WithCertificate(ecP.cert), oadrsig.WithMaxNonces(0))
			return err
		}},
		"verifier's clock": {"WithClock", func() error {
			_, err := oadrsig.NewVerifier(oadrsig.WithCertificate(ecP.cert), oadrsig.WithClock(nil))
			return err
		}},
	} {
		err := c.err()
		require.ErrorAs(t, err, &fe, name)
		assert.Equal(t, c.field, fe.Field, name)
		assert.ErrorIs(t, err, energy.ErrInvalid, name)
	}
}

func TestSignRefusesWhatItCannotSign(t *testing.T) {
	_, ecP, _ := parties(t)
	s := newSigner(t, ecP, clock.NewFake(t0))
	plain, err := oadr.Marshal(sampleReport())
	require.NoError(t, err)
	signed, err := s.Sign(plain)
	require.NoError(t, err)
	for name, doc := range map[string][]byte{
		"signed already": signed,
		"not XML":        plain[:100],
		"bare message":   []byte(`<oadr:oadrPoll xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"/>`),
		"no object":      []byte(`<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07"/>`),
		"no Id":          replace(t, plain, ` oadr:Id="oadrSignedObject"`, ""),
		"two objects":    replace(t, plain, "</oadr:oadrPayload>", "<oadr:oadrSignedObject/></oadr:oadrPayload>"),
	} {
		_, err := s.Sign(doc)
		assert.ErrorIs(t, err, energy.ErrInvalid, name)
	}
	_, err = s.Marshal(&oadr.Poll{})
	require.NoError(t, err, "the codec decides what a message needs")
	_, err = s.Marshal(nil)
	assert.Error(t, err)
}
