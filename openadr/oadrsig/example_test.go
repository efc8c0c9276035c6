package oadrsig_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"log"
	"math/big"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
)

// A VEN signs its poll; the VTN verifies it against the certificate it
// has on record for the venID.
func Example() {
	// The VEN's key and certificate (in production the certificate comes
	// from the OpenADR Alliance's CA, and the VTN learns its fingerprint
	// when the VEN is provisioned).
	venKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "VEN_1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &venKey.PublicKey, venKey)
	if err != nil {
		log.Fatal(err)
	}
	venCert, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}

	// VEN side: sign every message it sends.
	signer, err := oadrsig.NewSigner(venKey, venCert)
	if err != nil {
		log.Fatal(err)
	}
	body, err := signer.Marshal(&oadr.Poll{VenID: "VEN_1"})
	if err != nil {
		log.Fatal(err)
	}

	// VTN side: find the VEN's certificate by venID, verify, then act on
	// the message that was signed.
	registry := map[string]*x509.Certificate{"VEN_1": venCert}
	verifier, err := oadrsig.NewVerifier(oadrsig.WithLookup(
		func(_ context.Context, p oadrsig.Peer) (*x509.Certificate, error) {
			return registry[p.VenID], nil
		}))
	if err != nil {
		log.Fatal(err)
	}
	v, err := verifier.Verify(context.Background(), body)
	if err != nil {
		log.Fatal(err)
	}
	poll := v.Message.(*oadr.Poll)
	fmt.Println("verified poll from", poll.VenID)

	// The same payload again is a replay, answered with code 454.
	_, err = verifier.Verify(context.Background(), body)
	var se *oadrsig.Error
	if errors.As(err, &se) {
		fmt.Println(errors.Is(err, oadrsig.ErrReplay), se.ResponseCode())
	}
	// Output:
	// verified poll from VEN_1
	// true 454 Invalid Data
}

// A VEN trusts the one certificate of its VTN, and refuses what another
// key signed.
func ExampleWithCertificate() {
	var signers []*oadrsig.Signer
	for _, name := range []string{"VTN", "impostor"} {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: name},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(24 * time.Hour),
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			log.Fatal(err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			log.Fatal(err)
		}
		s, err := oadrsig.NewSigner(key, cert)
		if err != nil {
			log.Fatal(err)
		}
		signers = append(signers, s)
	}

	verifier, err := oadrsig.NewVerifier(oadrsig.WithCertificate(signers[0].Certificate()))
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range signers {
		body, err := s.Marshal(oadr.NewResponse(oadr.CodeOK, "OK", ""))
		if err != nil {
			log.Fatal(err)
		}
		_, err = verifier.Verify(context.Background(), body)
		fmt.Println(s.Certificate().Subject.CommonName, err == nil, errors.Is(err, oadrsig.ErrWrongCertificate))
	}
	// Output:
	// VTN true false
	// impostor false true
}
