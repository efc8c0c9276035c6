// Package testpki issues the certificates tests of TLS and XML signatures
// need: a CA of their own, server certificates for 127.0.0.1 and client
// certificates, each also written as the PEM files command-line flags
// take. Keys are P-256 ECDSA; certificates are valid from an hour ago to
// an hour from now. It is for tests only.
package testpki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// CA is a certificate authority that lives as long as one test.
type CA struct {
	tb   testing.TB
	dir  string
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	// File is the CA's certificate as a PEM file (for a -client-ca or
	// -ca flag).
	File string

	mu     sync.Mutex
	serial int64
}

// Issued is a certificate the CA issued, with its key, and the PEM files
// of both (the key in PKCS #8).
type Issued struct {
	tls.Certificate
	CertFile, KeyFile string
}

// NewCA returns a CA named name whose files live in a temporary folder of
// tb's.
func NewCA(tb testing.TB, name string) *CA {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(tb, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(tb, err)
	cert, err := x509.ParseCertificate(der)
	must(tb, err)
	ca := &CA{tb: tb, dir: tb.TempDir(), cert: cert, key: key, serial: 1}
	ca.File = ca.write(name+"-ca.pem", PEM("CERTIFICATE", der))
	return ca
}

// Certificate returns the CA's own certificate.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// Pool returns a pool of the CA alone, for clients that check a server or
// servers that check clients.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// Server issues a server certificate for 127.0.0.1 named name.
func (ca *CA) Server(name string) Issued {
	ca.tb.Helper()
	return ca.issue(name, true)
}

// Client issues a client certificate named name.
func (ca *CA) Client(name string) Issued {
	ca.tb.Helper()
	return ca.issue(name, false)
}

func (ca *CA) issue(name string, server bool) Issued {
	tb := ca.tb
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(tb, err)
	ca.mu.Lock()
	ca.serial++
	serial := ca.serial
	ca.mu.Unlock()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	must(tb, err)
	leaf, err := x509.ParseCertificate(der)
	must(tb, err)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	must(tb, err)
	return Issued{
		Certificate: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
		CertFile:    ca.write(name+".pem", PEM("CERTIFICATE", der)),
		KeyFile:     ca.write(name+".key", PEM("PRIVATE KEY", pkcs8)),
	}
}

// Sign issues a certificate of the CA's for pub from tmpl, for the
// certificates Server and Client do not make (another key type, other
// usages).
func (ca *CA) Sign(tmpl *x509.Certificate, pub any) *x509.Certificate {
	ca.tb.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	must(ca.tb, err)
	cert, err := x509.ParseCertificate(der)
	must(ca.tb, err)
	return cert
}

// Write writes data as the file name in the CA's folder and returns its
// path.
func (ca *CA) Write(name string, data []byte) string {
	ca.tb.Helper()
	return ca.write(name, data)
}

func (ca *CA) write(name string, data []byte) string {
	ca.tb.Helper()
	path := filepath.Join(ca.dir, name)
	must(ca.tb, os.WriteFile(path, data, 0o600))
	return path
}

// PEM encodes der as one PEM block of type typ.
func PEM(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
