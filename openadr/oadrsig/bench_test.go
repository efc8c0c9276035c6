package oadrsig_test

import (
	"context"
	"testing"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// BenchmarkSign signs an oadrUpdateReport; the baseline is oadr.Marshal
// alone, which every signed message pays too.
func BenchmarkSign(b *testing.B) {
	rsaP, ecP, _ := parties(b)
	msg := sampleReport()
	b.Run("baseline-marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := oadr.Marshal(msg); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, p := range map[string]party{"RSA-2048": rsaP, "ECDSA-P256": ecP} {
		s := newSigner(b, p, clock.NewFake(t0))
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Marshal(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify verifies a signed oadrUpdateReport (each iteration a
// fresh copy, so the nonce cache grows as it would); the baseline is
// oadr.Unmarshal of the same document.
func BenchmarkVerify(b *testing.B) {
	rsaP, ecP, _ := parties(b)
	b.Run("baseline-unmarshal", func(b *testing.B) {
		doc := signedDoc(b, newSigner(b, ecP, clock.NewFake(t0)), sampleReport())
		b.ReportAllocs()
		for b.Loop() {
			if _, err := oadr.Unmarshal(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, p := range map[string]party{"RSA-2048": rsaP, "ECDSA-P256": ecP} {
		b.Run(name, func(b *testing.B) {
			clk := clock.NewFake(t0)
			s := newSigner(b, p, clk)
			// Signed payloads made ahead, one per iteration, cycling
			// through a pool with a verifier per round.
			docs := make([][]byte, 256)
			for i := range docs {
				docs[i] = signedDoc(b, s, sampleReport())
			}
			v := newVerifier(b, p, clk)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i == len(docs) {
					b.StopTimer()
					v, i = newVerifier(b, p, clk), 0
					b.StartTimer()
				}
				if _, err := v.Verify(context.Background(), docs[i]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
