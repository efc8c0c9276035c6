package snws2_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

var vectorTime = time.Date(2017, 4, 25, 14, 30, 0, 0, time.UTC)

const vectorDate = "Tue, 25 Apr 2017 14:30:00 GMT"

func TestSigningKeys(t *testing.T) {
	assert.Equal(t, "bf7885e8bd107a79f5c6e13001a4fa15fbd43221ad39ca47fde96191d302dbf4",
		hex.EncodeToString(snws2.SigningKey("test-token-secret", vectorTime)))
	assert.Equal(t, "1f96b28b651285e49d06989aebaee169fa67a5f6a07fb72a8325fce83b425ad6",
		hex.EncodeToString(snws2.SigningKey("ABC123", time.Date(2017, 1, 1, 23, 59, 0, 0, time.UTC))))
}

func TestVectors(t *testing.T) {
	const e = snws2.EmptyBodySHA256
	tests := []struct {
		name      string
		method    string
		url       string
		body      string
		header    map[string]string
		opts      []snws2.Option
		canonical string
		auth      string
	}{
		{
			name: "V1 simpleGet", method: "GET", url: "http://localhost/api/test",
			opts:      []snws2.Option{snws2.WithDateHeader()},
			canonical: "GET\n/api/test\n\ndate:" + vectorDate + "\nhost:localhost\ndate;host\n" + e,
			auth:      "SNWS2 Credential=test-token-id,SignedHeaders=date;host,Signature=4739139d3d370f147b6585795c309b1c6d7d7f59943081f7dd943f689cfa59a3",
		},
		{
			name: "V2 X-SN-Date", method: "GET", url: "http://localhost/api/test",
			canonical: "GET\n/api/test\n\nhost:localhost\nx-sn-date:" + vectorDate + "\nhost;x-sn-date\n" + e,
			auth:      "SNWS2 Credential=test-token-id,SignedHeaders=host;x-sn-date,Signature=c14fe9f67560fb9a37d2aa7c40b40c260a5936f999877e2469b8ddb1da7c0eb9",
		},
		{
			name: "V3 queryParams", method: "GET", url: "http://localhost/api/query?foo=bar&bim=bam",
			opts:      []snws2.Option{snws2.WithDateHeader()},
			canonical: "GET\n/api/query\nbim=bam&foo=bar\ndate:" + vectorDate + "\nhost:localhost\ndate;host\n" + e,
			auth:      "SNWS2 Credential=test-token-id,SignedHeaders=date;host,Signature=c597ed8061d9d12e12ead3d8d6fc03b28a877e8639548f31556b4760be09a4b8",
		},
		{
			name: "V5 simplePost", method: "POST", url: "http://localhost/api/post",
			// The upstream body is not given, only its digest; the signer
			// computes the digest from a body, so this case sets the
			// header parts by hand below.
			opts:   []snws2.Option{snws2.WithDateHeader()},
			header: map[string]string{"Content-Type": "application/json;charset=UTF-8", "Digest": "sha-256=Im5J4T0W5eiqDWLljNYzYb8JfT4rJESqMEQzRiii6N4="},
			canonical: "POST\n/api/post\n\ncontent-type:application/json;charset=UTF-8\ndate:" + vectorDate +
				"\ndigest:sha-256=Im5J4T0W5eiqDWLljNYzYb8JfT4rJESqMEQzRiii6N4=\nhost:localhost\ncontent-type;date;digest;host\n" +
				"226e49e13d16e5e8aa0d62e58cd63361bf097d3e2b2444aa3044334628a2e8de",
			auth: "SNWS2 Credential=test-token-id,SignedHeaders=content-type;date;digest;host,Signature=ad609dd757c1f7f08a519919ab5e109ec61477cf612c6a0d29cac66d54c3987e",
		},
	}
	key := snws2.SigningKey("test-token-secret", vectorTime)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The canonical request from its parts, byte for byte.
			cr := parts(t, tc.canonical)
			assert.Equal(t, tc.canonical, cr.Canonical())
			assert.Equal(t, tc.auth, cr.Authorization("test-token-id", cr.Signature(key, vectorTime)))
			if tc.header != nil {
				return
			}
			// And through the Signer from an *http.Request.
			s, err := snws2.NewSigner("test-token-id", "test-token-secret", tc.opts...)
			require.NoError(t, err)
			req, err := http.NewRequest(tc.method, tc.url, nil)
			require.NoError(t, err)
			require.NoError(t, s.SignAt(req, vectorTime))
			assert.Equal(t, tc.auth, req.Header.Get("Authorization"))
		})
	}
}

// parts splits a canonical request back into a snws2.Request.
func parts(t *testing.T, canonical string) snws2.Request {
	lines := strings.Split(canonical, "\n")
	n := len(lines)
	cr := snws2.Request{Method: lines[0], Path: lines[1], Query: lines[2], BodySHA256: lines[n-1]}
	for _, l := range lines[3 : n-2] {
		k, v, ok := strings.Cut(l, ":")
		require.True(t, ok, l)
		cr.Headers = append(cr.Headers, snws2.Header{Name: k, Value: v})
	}
	require.Equal(t, lines[n-2], cr.SignedHeaderNames())
	return cr
}

func TestV1Intermediate(t *testing.T) {
	cr := parts(t, "GET\n/api/test\n\ndate:"+vectorDate+"\nhost:localhost\ndate;host\n"+snws2.EmptyBodySHA256)
	assert.Equal(t, "SNWS2-HMAC-SHA256\n20170425T143000Z\n1b5cf4c03e8e85f1c08a01ea1d4bd89cc550fc964134b59bb0accf9e5dbb26bf",
		cr.StringToSign(vectorTime))
}

func TestSignerBody(t *testing.T) {
	s, err := snws2.NewSigner("test-token-id", "test-token-secret")
	require.NoError(t, err)
	req, err := http.NewRequest("POST", "https://data.example/api/post?a=1", strings.NewReader(`{"x":1}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-SN-Extra", " v ")
	require.NoError(t, s.SignAt(req, vectorTime))
	assert.Equal(t, "sha-256=UEG/H3E98gR4Q1PoL2pKU1kxy2Tx9LSlrq/8tyCRiyI=", req.Header.Get("Digest"))
	assert.Contains(t, req.Header.Get("Authorization"), ",SignedHeaders=content-type;digest;host;x-sn-date;x-sn-extra,")
	assert.Equal(t, vectorDate, req.Header.Get("X-SN-Date"))
	b := make([]byte, 7)
	_, _ = req.Body.Read(b)
	assert.Equal(t, `{"x":1}`, string(b), "body still readable")
}

func TestFormBodyInCanonicalQuery(t *testing.T) {
	fc := clock.NewFake(vectorTime)
	s, _ := snws2.NewSigner("id", "secret", snws2.WithClock(fc))
	v, _ := snws2.NewVerifier(lookup, snws2.WithClock(fc))
	req, _ := http.NewRequest("POST", "http://localhost/api/form?z=1", strings.NewReader("b=2&a=x+y"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	params, err := snws2.Params(req, []byte("b=2&a=x+y"))
	require.NoError(t, err)
	assert.Equal(t, "a=x%20y&b=2&z=1", snws2.CanonicalQuery(params))
	require.NoError(t, s.Sign(req))
	_, err = v.Verify(serverSide(t, req))
	require.NoError(t, err)
}

func TestForcedHostPort(t *testing.T) {
	fc := clock.NewFake(vectorTime)
	s, _ := snws2.NewSigner("id", "secret", snws2.WithClock(fc), snws2.WithForcedHostPort())
	req, _ := http.NewRequest("GET", "https://data.example/api", nil)
	require.NoError(t, s.Sign(req))
	v, _ := snws2.NewVerifier(lookup, snws2.WithClock(fc))
	sr := serverSide(t, req)
	_, err := v.Verify(sr)
	require.ErrorIs(t, err, energy.ErrUnauthorized, "bare host signed as :443")
	sr = serverSide(t, req)
	sr.Header.Set("X-Forwarded-Proto", "https")
	_, err = v.Verify(sr)
	require.NoError(t, err)
}

func TestEncode(t *testing.T) {
	assert.Equal(t, "a%20b%2Fc%2A~-_.%C3%A9%2B", snws2.Encode("a b/c*~-_.é+"))
	assert.Equal(t, "plain", snws2.Encode("plain"))
}

func TestNewSignerValidates(t *testing.T) {
	var fe *energy.FieldError
	_, err := snws2.NewSigner("", "s")
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "tokenID", fe.Field)
	_, err = snws2.NewSigner("id", "")
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "secret", fe.Field)
	_, err = snws2.NewSigner("id", "s", snws2.WithClock(nil))
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "WithClock", fe.Field)
	_, err = snws2.NewVerifier(nil)
	require.ErrorAs(t, err, &fe)
	s, _ := snws2.NewSigner("id", "very-secret")
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", s, s, s), "very-secret")
}

func lookup(_ context.Context, id string) (string, error) {
	if id == "id" {
		return "secret", nil
	}
	return "", snws2.ErrUnknownToken
}

func TestHostAsNetHTTPSendsIt(t *testing.T) {
	s, _ := snws2.NewSigner("id", "secret")
	for url, want := range map[string]string{
		"http://localhost:8080/x":       "host;x-sn-date",
		"http://[fe80::1%25en0]:8080/x": "host;x-sn-date",
	} {
		req, err := http.NewRequest("GET", url, nil)
		require.NoError(t, err)
		require.NoError(t, s.Sign(req))
		assert.Contains(t, req.Header.Get("Authorization"), want)
	}
	req, _ := http.NewRequest("GET", "http://bücher.example/x", nil)
	require.ErrorIs(t, s.Sign(req), energy.ErrInvalid)
	// req.Host overrides URL.Host, as in net/http.
	fc := clock.NewFake(vectorTime)
	s, _ = snws2.NewSigner("id", "secret", snws2.WithClock(fc))
	v, _ := snws2.NewVerifier(lookup, snws2.WithClock(fc))
	req, _ = http.NewRequest("GET", "http://127.0.0.1:1/x", nil)
	req.Host = "api.example"
	require.NoError(t, s.Sign(req))
	sr := serverSide(t, req)
	assert.Equal(t, "api.example", sr.Host)
	_, err := v.Verify(sr)
	require.NoError(t, err)
}
