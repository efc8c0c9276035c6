package snws2_test

import (
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

// TestUpstreamClientVectors reproduces, through the Signer and from
// *http.Requests, the Authorization values SolarNetwork's own JavaScript and
// Java clients compute for the same requests.
func TestUpstreamClientVectors(t *testing.T) {
	date := []snws2.Option{snws2.WithDateHeader()}
	tests := []struct {
		name, method, url, body string
		header                  map[string]string
		opts                    []snws2.Option
		signed, sig             string
	}{
		{name: "simpleGet:proxy", url: "https://data.solarnetwork.net/api/test",
			signed: "host;x-sn-date", sig: "e70f99fd237e74912ac594b70bda27a84c1d41c4a3c7050d80c729496c7bff1f"},
		{name: "simpleGetWithNullContentType", url: "http://localhost/api/test", opts: date, header: map[string]string{"Content-Type": ""},
			signed: "content-type;date;host", sig: "00f309ee00978dc772cb01aba857d57983a7d3ac3b9ab8916a7702c61d6e07b6"},
		{name: "queryParamsWithEscapedCharacters", url: "http://localhost/api/query?foo=%2Fpath%2F%2A",
			signed: "host;x-sn-date", sig: "6e5ae54fe70543a590335a5ab9a29dc089dba4ac75fe15875e716f226c74b6e0"},
		{name: "url", url: "http://example.com/path", opts: date,
			signed: "date;host", sig: "0ba4f4469e9e0d48b7ca046e189032881c08e67a00c007fadb00242c4301fe31"},
		{name: "url:withoutHost", url: "https://data.solarnetwork.net/path", opts: date,
			signed: "date;host", sig: "1fdfdc7954cb386b97991736cf70c0c8e86c9d6ea28c74e9333678f03c075730"},
		{name: "url:queryParams", url: "https://example.com:8443/path?foo=bar&bim=bam", opts: date,
			signed: "date;host", sig: "c3a429e748d2ecd1f734c5a9f562e0c353f4a0d9a48a9492c0637178bb1f15dc"},
		{name: "url:httpsStandardPort", url: "https://example.com:443/path", opts: date,
			signed: "date;host", sig: "0ba4f4469e9e0d48b7ca046e189032881c08e67a00c007fadb00242c4301fe31"},
		{name: "url:httpsImpliedPort", url: "https://example.com/path", opts: date,
			signed: "date;host", sig: "0ba4f4469e9e0d48b7ca046e189032881c08e67a00c007fadb00242c4301fe31"},
		{name: "url:httpsImpliedPort:forced:https", url: "https://example.com/path", opts: []snws2.Option{snws2.WithDateHeader(), snws2.WithForcedHostPort()},
			signed: "date;host", sig: "5691e0f9366084fd81d50bba679e6c57fbbc85faca87a154ad3e1b29afb2e818"},
		{name: "url:httpsImpliedPort:forced:http", url: "http://example.com/path", opts: []snws2.Option{snws2.WithDateHeader(), snws2.WithForcedHostPort()},
			signed: "date;host", sig: "0ba4f4469e9e0d48b7ca046e189032881c08e67a00c007fadb00242c4301fe31"},
		{name: "url:wssStandardPort", url: "wss://example.com:443/path", opts: date,
			signed: "date;host", sig: "0ba4f4469e9e0d48b7ca046e189032881c08e67a00c007fadb00242c4301fe31"},
		{name: "url:wsNonStandardPort", url: "ws://example.com:8080/path", opts: date,
			signed: "date;host", sig: "6d5ca23447d47afaee7b4e42680b3a6bfaf0e23aa410d2b9f27f54f14d63f7a7"},
		{name: "simplePostWithComputedDigest", method: "POST", url: "http://localhost/api/post", body: "Hello.", opts: date,
			header: map[string]string{"Content-Type": "text/plain;charset=UTF-8"},
			signed: "content-type;date;digest;host", sig: "3da29e2ceb916ad31b4ffe920afcf94c879d0c4abaaed92941875ac4549f3cf6"},
		{name: "java postJsonWithSnDate", method: "POST", url: "http://localhost/api/post", body: `{"hello":"world"}`,
			header: map[string]string{"Content-Type": "application/json; charset=UTF-8"},
			signed: "content-type;digest;host;x-sn-date", sig: "17b50462a9db77e569bd74676c550c447be07f605f191a39ca481efaa15e9879"},
		{name: "httpHeaders (x-foo not signed)", url: "http://example.com/path", opts: date, header: map[string]string{"X-Foo": "foobar"},
			signed: "date;host", sig: "0ba4f4469e9e0d48b7ca046e189032881c08e67a00c007fadb00242c4301fe31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := snws2.NewSigner("test-token-id", "test-token-secret", tc.opts...)
			require.NoError(t, err)
			method := tc.method
			if method == "" {
				method = "GET"
			}
			req, err := http.NewRequest(method, tc.url, strings.NewReader(tc.body))
			require.NoError(t, err)
			if tc.body == "" {
				req.Body, req.GetBody = http.NoBody, nil
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			require.NoError(t, s.SignAt(req, vectorTime))
			assert.Equal(t, "SNWS2 Credential=test-token-id,SignedHeaders="+tc.signed+",Signature="+tc.sig, req.Header.Get("Authorization"))
		})
	}
}

func TestUpstreamContentMD5Vector(t *testing.T) {
	cr := parts(t, "POST\n/api/post\n\ncontent-md5:foobar\ncontent-type:application/json;charset=UTF-8\ndate:"+vectorDate+
		"\nhost:localhost\ncontent-md5;content-type;date;host\n226e49e13d16e5e8aa0d62e58cd63361bf097d3e2b2444aa3044334628a2e8de")
	assert.Equal(t, "c031b1470d2410d60676996380c3bdc5f7edf289f724fb1b5fa1a29dce02ea57",
		cr.Signature(snws2.SigningKey("test-token-secret", vectorTime), vectorTime))
}

func TestKeySigner(t *testing.T) {
	key, _ := hex.DecodeString("bf7885e8bd107a79f5c6e13001a4fa15fbd43221ad39ca47fde96191d302dbf4")
	s, err := snws2.NewKeySigner("test-token-id", key, vectorTime)
	require.NoError(t, err)
	req, _ := http.NewRequest("GET", "https://data.solarnetwork.net/test/path", nil)
	require.NoError(t, s.SignAt(req, vectorTime))
	assert.Equal(t, "SNWS2 Credential=test-token-id,SignedHeaders=host;x-sn-date,Signature=79cb002ee35b5cfe2d54421de6550cdcfc39c9defae874cc93ee74e426e81c23",
		req.Header.Get("Authorization"))
	require.NoError(t, s.SignAt(req, vectorTime.AddDate(0, 0, 6)))
	err = s.SignAt(req, vectorTime.AddDate(0, 0, 7))
	var se *snws2.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, snws2.ReasonBadRequest, se.Reason)
	_, err = snws2.NewKeySigner("id", key[:31], vectorTime)
	require.Error(t, err)
}
