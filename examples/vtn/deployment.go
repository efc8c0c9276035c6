package main

import (
	"bufio"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// plainHTTPWarning is said once on stderr when the VTN serves plain HTTP:
// nothing then tells one VEN from another but the venID it sends.
const plainHTTPWarning = "vtn: warning: plain HTTP identifies no VEN (anyone who knows a venID can act as it): for development only; see -tls-cert and -client-ca"

// noClientCAWarning is said when the VTN serves TLS without -client-ca: a
// VEN presenting any certificate, from anyone, may register and is bound
// to it.
const noClientCAWarning = "vtn: warning: without -client-ca any client certificate may register a VEN; see -client-ca and -provision"

// maxVenID is the longest identifier the VTN takes from a request: a
// longer provisioned venID could never be used.
const maxVenID = 256

// provisionedVEN is one line of a -provision file.
type provisionedVEN struct {
	venID, fingerprint string
}

// security is what the TLS, provisioning and signing flags load: the
// listener's TLS configuration (nil for plain HTTP), the VENs allowed to
// register, and the VTN's signer.
type security struct {
	tls         *tls.Config
	provisioned []provisionedVEN
	signer      *oadrsig.Signer
}

// loadSecurity reads the files the flags name. parseFlags has checked that
// they go together; what fails here is the files themselves, a failure
// (exit 1) whose message names the flag and, for -provision, the line.
func loadSecurity(cfg config) (security, error) {
	var s security
	if cfg.tlsCert == "" {
		return s, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.tlsCert, cfg.tlsKey)
	if err != nil {
		return s, fmt.Errorf("%w (check -tls-cert and -tls-key: PEM files of the server certificate and its key)", err)
	}
	if cert.Leaf == nil {
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return s, fmt.Errorf("-tls-cert: %w", err)
		}
	}
	// Without -client-ca a client certificate is asked for, not required:
	// a VEN that presents one is bound to it (see openadr.Caller), but
	// anyone's will do.
	s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	if cfg.clientCA != "" {
		pool, err := loadCertPool(cfg.clientCA)
		if err != nil {
			return s, fmt.Errorf("-client-ca: %w", err)
		}
		s.tls.ClientAuth = tls.RequireAndVerifyClientCert
		s.tls.ClientCAs = pool
	}
	if cfg.provision != "" {
		if s.provisioned, err = loadProvisioning(cfg.provision); err != nil {
			return s, err
		}
	}
	if cfg.signKey != "" {
		if s.signer, err = loadSigner(cfg.signKey, cert.Leaf); err != nil {
			return s, err
		}
	}
	return s, nil
}

// loadCertPool reads a PEM bundle of CA certificates. Unlike
// x509.CertPool.AppendCertsFromPEM it refuses a certificate it cannot
// parse rather than skipping it, so that a damaged bundle does not lock
// out the VENs of the CA it dropped without a word.
func loadCertPool(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	n := 0
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: certificate %d: %w", path, n+1, err)
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate (give the CA that issues the VENs' client certificates)", path)
	}
	return pool, nil
}

// loadProvisioning reads a -provision file.
func loadProvisioning(path string) ([]provisionedVEN, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("-provision: %w", err)
	}
	defer f.Close()
	return parseProvisioning(path, f)
}

// parseProvisioning reads lines "venID fingerprint"; # starts a comment
// and blank lines are skipped. The fingerprint may be written in any form
// openadr.NormalizeFingerprint reads, spaces included, so it is the rest
// of the line after the venID. Every venID and every certificate appears
// once: a VEN with two lines would be ambiguous, and a certificate under
// two venIDs would let one VEN act as another. Each venID is checked as
// the VTN checks it, so that an error names its line.
func parseProvisioning(name string, r io.Reader) ([]provisionedVEN, error) {
	var out []provisionedVEN
	venLine := map[string]int{}
	fpLine := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("-provision: %s:%d: %s", name, n, fmt.Sprintf(format, args...))
		}
		venID, raw, ok := strings.Cut(line, " ")
		if !ok {
			venID, raw, ok = strings.Cut(line, "\t")
		}
		raw = strings.TrimSpace(raw)
		if !ok || raw == "" {
			return nil, fail("want \"venID fingerprint\", got %q", line)
		}
		fp := openadr.NormalizeFingerprint(raw)
		switch {
		case fp == "":
			return nil, fail("fingerprint %q is not 10 bytes of hex (AB:CD:… or 20 hex digits)", raw)
		case len(venID) > maxVenID:
			return nil, fail("venID is %d bytes long; the VTN refuses identifiers longer than %d", len(venID), maxVenID)
		case venLine[venID] != 0:
			return nil, fail("venID %q is already provisioned on line %d", venID, venLine[venID])
		case fpLine[fp] != 0:
			return nil, fail("fingerprint %s is already provisioned on line %d", fp, fpLine[fp])
		}
		if _, err := openadr.NewVTN("VTN_CHECK", openadr.WithVENFingerprint(venID, fp)); err != nil {
			return nil, fail("%v", err)
		}
		venLine[venID], fpLine[fp] = n, n
		out = append(out, provisionedVEN{venID: venID, fingerprint: fp})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("-provision: %s: %w", name, err)
	}
	if len(out) == 0 {
		// No VEN provisioned would mean every VEN is welcome: the
		// opposite of what the flag asks for.
		return nil, fmt.Errorf("-provision: %s names no VEN (one \"venID fingerprint\" per line)", name)
	}
	return out, nil
}

// loadSigner reads the PEM private key of -sign-key and makes the VTN's
// signer with the certificate VENs know it by, -tls-cert's.
func loadSigner(path string, cert *x509.Certificate) (*oadrsig.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-sign-key: %w", err)
	}
	key, err := parsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("-sign-key: %s: %w", path, err)
	}
	s, err := oadrsig.NewSigner(key, cert)
	if err != nil {
		return nil, fmt.Errorf("-sign-key: %w (the key must be the one of -tls-cert's certificate)", err)
	}
	return s, nil
}

// parsePrivateKey returns the first private key of a PEM file: PKCS #8
// ("PRIVATE KEY"), PKCS #1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY"),
// the forms openssl writes. Other blocks (the "EC PARAMETERS" openssl
// ecparam writes first) are skipped.
func parsePrivateKey(data []byte) (crypto.Signer, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("no PEM private key (want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)")
		}
		var key any
		var err error
		switch b.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(b.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("the key is encrypted: give it unencrypted, readable only by the VTN's user")
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.Type, err)
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		}
		return nil, fmt.Errorf("a %T key: OpenADR signs with RSA or ECDSA", key)
	}
}
