package snws2_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

// serverSide writes req on the wire and reads it back as a server would
// receive it.
func serverSide(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	r := req.Clone(req.Context())
	if req.GetBody != nil {
		r.Body, _ = req.GetBody()
	}
	require.NoError(t, r.Write(&buf))
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	require.NoError(t, err)
	return sr
}

func TestVerifierRules(t *testing.T) {
	fc := clock.NewFake(vectorTime)
	s, _ := snws2.NewSigner("id", "secret", snws2.WithClock(fc))
	v, _ := snws2.NewVerifier(lookup, snws2.WithClock(fc))
	signed := func() *http.Request {
		req, _ := http.NewRequest("PUT", "http://localhost:8080/p/a%2Fb?q=1", strings.NewReader(`{"a":1}`))
		req.Header.Set("Content-Type", "application/json")
		require.NoError(t, s.Sign(req))
		return req
	}
	id, err := v.Verify(serverSide(t, signed()))
	require.NoError(t, err)
	assert.Equal(t, "id", id)

	reason := func(err error) snws2.Reason {
		var e *snws2.Error
		require.ErrorAs(t, err, &e)
		require.ErrorIs(t, err, energy.ErrUnauthorized)
		return e.Reason
	}
	tests := []struct {
		name   string
		mutate func(r *http.Request)
		want   snws2.Reason
	}{
		{"no auth", func(r *http.Request) { r.Header.Del("Authorization") }, snws2.ReasonMissing},
		{"other scheme", func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") }, snws2.ReasonMissing},
		{"one header", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;digest;host;x-sn-date", "host", 1))
		}, snws2.ReasonMalformed},
		{"short signature", func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:len(a)-1])
		}, snws2.ReasonMalformed},
		{"unsigned x-sn header", func(r *http.Request) { r.Header.Set("X-SN-Other", "1") }, snws2.ReasonUnsignedHeader},
		{"unsigned content-md5", func(r *http.Request) { r.Header.Set("Content-MD5", "x") }, snws2.ReasonUnsignedHeader},
		{"body tampered", func(r *http.Request) {
			r.Body = http.NoBody
			r.Body = ioNop(`{"a":2}`)
		}, snws2.ReasonDigestMismatch},
		{"unknown token", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Credential=id", "Credential=other", 1))
		}, snws2.ReasonUnknownToken},
		{"path tampered", func(r *http.Request) { r.RequestURI = "/p/a/b?q=1" }, snws2.ReasonBadSignature},
		{"query tampered", func(r *http.Request) { r.URL.RawQuery = "q=2" }, snws2.ReasonBadSignature},
		{"host tampered", func(r *http.Request) { r.Host = "localhost:8081" }, snws2.ReasonBadSignature},
		{"method tampered", func(r *http.Request) { r.Method = "POST" }, snws2.ReasonBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := serverSide(t, signed())
			tc.mutate(r)
			_, err := v.Verify(r)
			assert.Equal(t, tc.want, reason(err))
		})
	}

	t.Run("skew", func(t *testing.T) {
		r := serverSide(t, signed())
		fc.Advance(15*time.Minute + time.Second)
		defer fc.Set(vectorTime)
		_, err := v.Verify(r)
		assert.Equal(t, snws2.ReasonDateSkew, reason(err))
	})
}

func TestVerifierKeyValidSevenDays(t *testing.T) {
	// A request signed with a key derived 6 days earlier is accepted; 7 is
	// too old.
	for back, ok := range map[int]bool{0: true, 6: true, 7: false} {
		req, _ := http.NewRequest("GET", "http://localhost/api", nil)
		req.Header.Set("X-SN-Date", vectorTime.Format(http.TimeFormat))
		cr := snws2.Request{Method: "GET", Path: "/api", BodySHA256: snws2.EmptyBodySHA256,
			Headers: []snws2.Header{{Name: "host", Value: "localhost"}, {Name: "x-sn-date", Value: vectorTime.Format(http.TimeFormat)}}}
		key := snws2.SigningKey("secret", vectorTime.AddDate(0, 0, -back))
		req.Header.Set("Authorization", cr.Authorization("id", cr.Signature(key, vectorTime)))
		v, _ := snws2.NewVerifier(lookup, snws2.WithClock(clock.NewFake(vectorTime)))
		_, err := v.Verify(serverSide(t, req))
		assert.Equal(t, ok, err == nil, "key from %d days before: %v", back, err)
	}
}

func TestTransportAndMiddleware(t *testing.T) {
	v, _ := snws2.NewVerifier(lookup)
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	defer srv.Close()
	s, _ := snws2.NewSigner("id", "secret")
	hc := &http.Client{Transport: s.Transport(nil)}
	resp, err := hc.Post(srv.URL+"/x?a=b%20c", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)

	resp, err = http.Get(srv.URL + "/x")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
}

// TestUpstreamServerVectors checks the Verifier against the signatures
// SolarNetwork's server computes for a request behind a proxy (the port it
// adds to Host from X-Forwarded-Port and X-Forwarded-Proto).
func TestUpstreamServerVectors(t *testing.T) {
	now := time.Unix(1502340082, 0).UTC() // Thu, 10 Aug 2017 04:41:22 GMT
	lookup := func(_ context.Context, id string) (string, error) {
		if id == "12345678901234567890" {
			return "lsdjfpse9jfoeijfe09j", nil
		}
		return "", snws2.ErrUnknownToken
	}
	v, err := snws2.NewVerifier(lookup, snws2.WithClock(clock.NewFake(now)))
	require.NoError(t, err)
	for _, tc := range []struct {
		host, proto, port, sig string
	}{
		{"localhost:8080", "", "", "0574baabdb8c97c0961d04f1a3e9a328dde3219b3898982af18b0c9675463fb1"},
		{"localhost", "https", "443", "85028cb8b15bc3a7557aa9607c419697e0a942a95511728318e290c1d27ffd41"},
		{"localhost", "https", "8443", "409bc3bd69fd95d6b67fe7cde94ae412221d61a92ee52dc3bfc82ae535f9f8a9"},
		{"localhost", "http", "80", "9584e63cd1c3e8e6fd007b982f99ffb63a6feb8a9db06bd3f4879bf7867a290f"},
		{"localhost", "http", "8080", "0574baabdb8c97c0961d04f1a3e9a328dde3219b3898982af18b0c9675463fb1"},
		{"localhost", "https", "", "85028cb8b15bc3a7557aa9607c419697e0a942a95511728318e290c1d27ffd41"},
	} {
		req := httptest.NewRequest("GET", "/mock/path/here", nil)
		req.Host = tc.host
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.port != "" {
			req.Header.Set("X-Forwarded-Port", tc.port)
		}
		req.Header.Set("X-SN-Date", now.Format(http.TimeFormat))
		req.Header.Set("Authorization", "SNWS2 Credential=12345678901234567890,SignedHeaders=host;x-sn-date,Signature="+tc.sig)
		_, err := v.Verify(req)
		assert.NoError(t, err, "%+v", tc)
	}
}
