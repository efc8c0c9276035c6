package openadr_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
	"github.com/gridwire/gridwire/openadr/ven"
)

// A VTN and a VEN that sign every message: each signs with the key of the
// certificate it presents over TLS, and each verifies the other's
// signatures against that certificate.
func ExampleWithSigning() {
	// Self-signed for the example; in production both come from the
	// OpenADR Alliance's CAs.
	selfSigned := func(name string, ip net.IP) (*ecdsa.PrivateKey, *x509.Certificate) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: name},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(24 * time.Hour),
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		}
		if ip != nil {
			tmpl.IPAddresses = []net.IP{ip}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			log.Fatal(err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			log.Fatal(err)
		}
		return key, cert
	}
	vtnKey, vtnCert := selfSigned("VTN_SIGNED", net.IPv4(127, 0, 0, 1))
	venKey, venCert := selfSigned("battery", nil)

	vtnSigner, err := oadrsig.NewSigner(vtnKey, vtnCert)
	if err != nil {
		log.Fatal(err)
	}
	vtn, err := openadr.NewVTN("VTN_SIGNED", openadr.WithSigning(vtnSigner))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(vtn)
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{vtnCert.Raw}, PrivateKey: vtnKey}},
		// The VTN binds each venID to its client certificate; approve
		// certificates with WithVENFingerprint or a registration hook.
		ClientAuth: tls.RequireAnyClientCert,
		MinVersion: tls.VersionTLS12,
	}
	srv.StartTLS()
	defer srv.Close()

	roots := x509.NewCertPool()
	roots.AddCert(vtnCert)
	tr := &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs:      roots,
		Certificates: []tls.Certificate{{Certificate: [][]byte{venCert.Raw}, PrivateKey: venKey}},
		MinVersion:   tls.VersionTLS12,
	}}
	defer tr.CloseIdleConnections()
	venSigner, err := oadrsig.NewSigner(venKey, venCert)
	if err != nil {
		log.Fatal(err)
	}
	// The VEN trusts the signatures of the certificate the VTN presents
	// over TLS (ven.WithVTNCertificate names another).
	sim, err := ven.New(srv.URL, ven.WithHTTPClient(&http.Client{Transport: tr}), ven.WithSigning(venSigner))
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.Register(context.Background()); err != nil {
		log.Fatal(err)
	}
	reg, err := vtn.Registration(context.Background(), sim.State().VENID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("registered, signing:", reg.XMLSignature)
	// Output: registered, signing: true
}
