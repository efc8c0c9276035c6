package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/internal/testpki"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
	"github.com/gridwire/gridwire/openadr/ven"
)

// deployment is a VTN's files as an operator has them: its server
// certificate and key, and the CA of its VENs' client certificates, which
// also issued the server's.
type deployment struct {
	ca                *testpki.CA
	tlsCert, tlsKey   string
	serverCertificate *x509.Certificate
}

func newDeployment(t *testing.T) *deployment {
	t.Helper()
	ca := testpki.NewCA(t, "vens")
	vtn := ca.Server("vtn")
	return &deployment{ca: ca, tlsCert: vtn.CertFile, tlsKey: vtn.KeyFile, serverCertificate: vtn.Leaf}
}

// args are the flags of a VTN serving TLS with client certificates from
// the deployment's CA, in memory, followed by more.
func (d *deployment) args(more ...string) []string {
	return append([]string{"-db", memoryDB, "-tls-cert", d.tlsCert, "-tls-key", d.tlsKey, "-client-ca", d.ca.File}, more...)
}

// client returns an HTTP client that trusts the VTN's CA and presents
// cert (none if it is the zero value).
func (d *deployment) client(t *testing.T, cert tls.Certificate) *http.Client {
	cfg := &tls.Config{RootCAs: d.ca.Pool(), MinVersion: tls.VersionTLS12}
	if cert.Leaf != nil {
		cfg.Certificates = []tls.Certificate{cert}
	}
	tr := &http.Transport{TLSClientConfig: cfg}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// With -client-ca and -provision, a VEN whose certificate is in the file
// registers under its venID; another certificate from the same CA is
// refused with 463; a certificate from another CA, or none, fails the TLS
// handshake.
func TestProvisionedVENsOverTLS(t *testing.T) {
	d := newDeployment(t)
	certA := d.ca.Client("ven-a").Certificate
	certB := d.ca.Client("ven-b").Certificate
	stranger := testpki.NewCA(t, "other").Client("ven-c").Certificate
	// avob's spelling of the fingerprint, a comment, a blank line.
	fpA := strings.ToLower(strings.ReplaceAll(openadr.Fingerprint(certA.Leaf), ":", ""))
	prov := d.ca.Write("vens.txt", fmt.Appendf(nil, "# the fleet\n\nVEN_A   %s  # battery in the garage\n", fpA))
	base, errs, stop := serve(t, d.args("-provision", prov)...)
	require.True(t, strings.HasPrefix(base, "https://"), base)
	ctx := t.Context()

	a, err := ven.New(base, ven.WithHTTPClient(d.client(t, certA)), ven.WithVENName("a"))
	require.NoError(t, err)
	require.NoError(t, a.Register(ctx))
	assert.Equal(t, "VEN_A", a.State().VENID, "the provisioned venID, whatever the VEN asked")

	b, err := ven.New(base, ven.WithHTTPClient(d.client(t, certB)), ven.WithVENName("b"))
	require.NoError(t, err)
	err = b.Register(ctx)
	var re *ven.ResponseError
	require.ErrorAs(t, err, &re, "a certificate of the CA but not in the file")
	assert.Equal(t, oadr.CodeNotRegisteredOrAuthorized, re.Code)

	body, err := oadr.Marshal(&oadr.Poll{VenID: "VEN_A"})
	require.NoError(t, err)
	for name, cert := range map[string]tls.Certificate{"another CA": stranger, "no certificate": {}} {
		resp, err := d.client(t, cert).Post(base+openadr.PathPrefix+string(oadr.ServiceOadrPoll), "application/xml", bytes.NewReader(body))
		if err == nil {
			resp.Body.Close()
		}
		require.Error(t, err, "%s: the handshake must fail", name)
		var tlsErr tls.AlertError
		assert.True(t, errors.As(err, &tlsErr) || strings.Contains(err.Error(), "tls"), "%s: %v", name, err)
	}
	require.Equal(t, 0, stop())
	assert.Contains(t, errs.String(), "TLS handshake error", "the refused handshakes are logged")
	assert.NotContains(t, errs.String(), "warning")
}

// With -sign-key and -require-signatures a VEN that signs (openadr/ven
// with its signing option) registers, polls and reports, and accepts only
// answers signed with the VTN's certificate; one that does not sign is
// refused with 454.
func TestSignedExchange(t *testing.T) {
	d := newDeployment(t)
	certA := d.ca.Client("ven-a").Certificate
	certB := d.ca.Client("ven-b").Certificate
	base, stop := serveRun(t, d.args("-sign-key", d.tlsKey, "-require-signatures")...)
	ctx := t.Context()

	signer, err := oadrsig.NewSigner(certA.PrivateKey.(*ecdsa.PrivateKey), certA.Leaf)
	require.NoError(t, err)
	a, err := ven.New(base, ven.WithHTTPClient(d.client(t, certA)), ven.WithSigning(signer),
		ven.WithVTNCertificate(d.serverCertificate))
	require.NoError(t, err)
	require.NoError(t, a.Register(ctx))
	for got := true; got; {
		got, err = a.PollOnce(ctx)
		require.NoError(t, err)
	}
	require.NoError(t, a.Tick(ctx))

	// The answer itself, as a VEN of another implementation sees it:
	// signed with the VTN's certificate.
	signedPoll, err := signer.Marshal(&oadr.Poll{VenID: a.State().VENID})
	require.NoError(t, err)
	resp, err := d.client(t, certA).Post(base+openadr.PathPrefix+string(oadr.ServiceOadrPoll), "application/xml", bytes.NewReader(signedPoll))
	require.NoError(t, err)
	var answer bytes.Buffer
	_, err = answer.ReadFrom(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	verifier, err := oadrsig.NewVerifier(oadrsig.WithCertificate(d.serverCertificate))
	require.NoError(t, err)
	v, err := verifier.Verify(ctx, answer.Bytes())
	require.NoError(t, err, "%s", answer.String())
	assert.True(t, v.Signed)

	b, err := ven.New(base, ven.WithHTTPClient(d.client(t, certB)))
	require.NoError(t, err)
	var re *ven.ResponseError
	require.ErrorAs(t, b.Register(ctx), &re, "an unsigned registration")
	assert.Equal(t, oadr.ResponseCode(454), re.Code)
	require.Equal(t, 0, stop())
}

// A provisioning file the VTN cannot use stops it (exit 1) with the file,
// the line and what is wrong.
func TestBadProvisioningFile(t *testing.T) {
	d := newDeployment(t)
	cert := d.ca.Client("ven").Certificate
	fp := openadr.Fingerprint(cert.Leaf)
	other := d.ca.Client("ven2").Certificate
	fp2 := openadr.Fingerprint(other.Leaf)
	for _, tc := range []struct {
		name, content, want string
	}{
		{"no fingerprint", "# fleet\nVEN_A\n", "vens.txt:2: want \"venID fingerprint\""},
		{"bad fingerprint", "VEN_A " + fp + "\nVEN_B 12:34\n", "vens.txt:2: fingerprint \"12:34\""},
		{"venID twice", "VEN_A " + fp + "\n\nVEN_A " + fp2 + "\n", "vens.txt:3: venID \"VEN_A\" is already provisioned on line 1"},
		{"fingerprint twice", "VEN_A " + fp + "\nVEN_B " + strings.ReplaceAll(fp, ":", " ") + "\n", "vens.txt:2: fingerprint " + fp + " is already provisioned on line 1"},
		{"venID with a control character", "VEN_A " + fp + "\nVEN\x01B " + fp2 + "\n", "vens.txt:2: "},
		{"venID too long", "VEN_A " + fp + "\n" + strings.Repeat("v", 257) + " " + fp2 + "\n", "vens.txt:2: venID is 257 bytes long"},
		{"no VEN", "# nobody yet\n", "names no VEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vens.txt")
			require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o600))
			var out, errs bytes.Buffer
			assert.Equal(t, 1, run(t.Context(), append([]string{"-addr", "127.0.0.1:0"}, d.args("-provision", path)...), &out, &errs))
			assert.Contains(t, errs.String(), tc.want)
			assert.Empty(t, out.String(), "it never listened")
		})
	}
	t.Run("unreadable", func(t *testing.T) {
		var out, errs bytes.Buffer
		missing := filepath.Join(t.TempDir(), "missing.txt")
		assert.Equal(t, 1, run(t.Context(), append([]string{"-addr", "127.0.0.1:0"}, d.args("-provision", missing)...), &out, &errs))
		assert.Contains(t, errs.String(), "-provision")
		assert.Contains(t, errs.String(), "missing.txt")
	})
}

// The other deployment files are checked before the VTN listens: each
// failure exits 1 naming the flag to fix.
func TestBadDeploymentFiles(t *testing.T) {
	d := newDeployment(t)
	other := d.ca.Server("other")
	otherCertFile, otherKey := other.CertFile, other.KeyFile
	garbage := d.ca.Write("garbage.pem", []byte("not PEM at all\n"))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"certificate and key differ", []string{"-db", memoryDB, "-tls-cert", d.tlsCert, "-tls-key", otherKey}, "check -tls-cert and -tls-key"},
		{"client CA not PEM", []string{"-db", memoryDB, "-tls-cert", d.tlsCert, "-tls-key", d.tlsKey, "-client-ca", garbage}, "-client-ca: " + garbage + " holds no PEM certificate"},
		{"sign key not PEM", d.args("-sign-key", garbage), "-sign-key: " + garbage + ": no PEM private key"},
		{"sign key of another certificate", d.args("-sign-key", otherKey), "the key must be the one of -tls-cert's certificate"},
		{"certificate unreadable", []string{"-db", memoryDB, "-tls-cert", otherCertFile + ".missing", "-tls-key", d.tlsKey}, "check -tls-cert"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			assert.Equal(t, 1, run(t.Context(), append([]string{"-addr", "127.0.0.1:0"}, tc.args...), &out, &errs))
			assert.Contains(t, errs.String(), tc.want)
			assert.Empty(t, out.String())
		})
	}
}

// TLS without -client-ca still serves, and says in one line that any
// certificate may register.
func TestTLSWithoutClientCA(t *testing.T) {
	d := newDeployment(t)
	cert := testpki.NewCA(t, "anyone").Client("ven").Certificate
	base, errs, stop := serve(t, "-db", memoryDB, "-cert", d.tlsCert, "-key", d.tlsKey) // the older names
	v, err := ven.New(base, ven.WithHTTPClient(d.client(t, cert)))
	require.NoError(t, err)
	require.NoError(t, v.Register(t.Context()))
	require.Equal(t, 0, stop())
	assert.Equal(t, noClientCAWarning+"\n", errs.String())
}

// -sign-key reads the forms openssl writes: PKCS #1 RSA, SEC 1 EC after
// its parameters block, PKCS #8; it refuses other key types and encrypted
// keys.
func TestParsePrivateKey(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	sec1, err := x509.MarshalECPrivateKey(ecKey)
	require.NoError(t, err)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(ecKey)
	require.NoError(t, err)
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edPKCS8, err := x509.MarshalPKCS8PrivateKey(edKey)
	require.NoError(t, err)

	k, err := parsePrivateKey(testpki.PEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)))
	require.NoError(t, err)
	assert.True(t, rsaKey.Equal(k))
	k, err = parsePrivateKey(append(testpki.PEM("EC PARAMETERS", []byte{6, 5, 43, 129, 4, 0, 34}), testpki.PEM("EC PRIVATE KEY", sec1)...))
	require.NoError(t, err)
	assert.True(t, ecKey.Equal(k))
	k, err = parsePrivateKey(testpki.PEM("PRIVATE KEY", pkcs8))
	require.NoError(t, err)
	assert.True(t, ecKey.Equal(k))

	for name, data := range map[string][]byte{
		"ed25519":   testpki.PEM("PRIVATE KEY", edPKCS8),
		"encrypted": testpki.PEM("ENCRYPTED PRIVATE KEY", []byte{1, 2, 3}),
		"damaged":   testpki.PEM("EC PRIVATE KEY", []byte{1, 2, 3}),
		"empty":     nil,
	} {
		_, err := parsePrivateKey(data)
		assert.Error(t, err, name)
	}

	// An RSA key signs, with its certificate.
	ca := testpki.NewCA(t, "rsa")
	cert := ca.Sign(&x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "VTN_RSA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}, &rsaKey.PublicKey)
	s, err := loadSigner(ca.Write("rsa.key", testpki.PEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey))), cert)
	require.NoError(t, err)
	_, err = s.Marshal(&oadr.Poll{VenID: "VEN_1"})
	require.NoError(t, err)
}
