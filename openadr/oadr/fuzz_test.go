package oadr_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/stretchr/testify/require"
)

// FuzzDecode feeds arbitrary documents to the decoder, seeded with every sample
// (valid and invalid) and every fixture. The decoder must not panic; whatever
// it accepts must encode (or be refused with an EncodeError) and, once
// encoded, decode and encode again to the same bytes.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(samplesDir(f), "*", "*.xml"))
	invalid, _ := filepath.Glob(filepath.Join(samplesDir(f), "invalid", "*", "*.xml"))
	for _, name := range append(files, invalid...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, fx := range fixtures() {
		b, err := oadr.Marshal(fx.msg)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := oadr.Unmarshal(data)
		if err != nil {
			// msg == nil, not require.Nil, which passes a typed nil pointer.
			require.True(t, msg == nil, "message %T returned with error %v", msg, err)
			return
		}
		first, err := oadr.Marshal(msg)
		if err != nil {
			return // e.g. an accepted document lacking a repeated element the schema requires
		}
		again, err := oadr.Unmarshal(first)
		require.NoError(t, err, "re-decoding our own output:\n%s", first)
		second, err := oadr.Marshal(again)
		require.NoError(t, err, "re-encoding")
		require.True(t, bytes.Equal(first, second), "encoding is not stable:\n%s\n%s", first, second)
	})
}
