package openadr

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/conformance"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// fuzzServices are the endpoints a fuzzed request goes to, chosen by a byte.
var fuzzServices = []oadr.ServiceName{
	oadr.ServiceEiRegisterParty, oadr.ServiceEiEvent, oadr.ServiceEiReport, oadr.ServiceEiOpt, oadr.ServiceOadrPoll,
}

// FuzzHandler drives the request path with arbitrary bodies on every
// service: the VTN must never panic, never answer 500, and every answer with
// status 200 must be a decodable OpenADR message. Seeds are all sample
// messages: testdata, and the shared samples (valid and invalid) when
// present.
func FuzzHandler(f *testing.F) {
	var seeds []string
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".xml") {
			seeds = append(seeds, p)
		}
		return nil
	})
	if dir := conformance.Samples(); dirExists(dir) {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".xml") {
				seeds = append(seeds, p)
			}
			return nil
		})
	}
	require.NotEmpty(f, seeds)
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		require.NoError(f, err)
		msg, err := oadr.Unmarshal(b)
		svc := byte(0)
		if err == nil {
			// Mostly the right service, so that seeds reach the handlers.
			for i, s := range fuzzServices {
				if served(s, msg.MessageName()) {
					svc = byte(i)
				}
			}
		}
		f.Add(svc, b)
	}
	f.Add(byte(4), []byte(""))
	f.Add(byte(2), []byte("<"))

	v, _ := newVTN(f, WithReportRegistrationHook(RequestTelemetry(time.Minute, time.Minute)))
	// The venIDs of the samples, registered, so requests get past the
	// venID check; their report offers come in the seeds.
	for _, id := range []string{"VEN_FORTRESS_1", "ven_id_fortress", "VEN_EPRI_1", "ven_123", "VEN123", "ven-1234"} {
		require.NoError(f, v.store.Create(bg, &VENState{Registration: Registration{VenID: id, RegistrationID: "REG_" + id}}))
		_, err := v.CreateEvent(bg, id, simpleEvent(t0.Add(time.Hour)))
		require.NoError(f, err)
	}

	f.Fuzz(func(t *testing.T, svc byte, body []byte) {
		status, out := post(t, v, fuzzServices[int(svc)%len(fuzzServices)], body)
		switch status {
		case http.StatusOK, http.StatusRequestEntityTooLarge, http.StatusBadRequest:
		default:
			require.FailNow(t, "unexpected status", "HTTP %d", status)
		}
		_, err := oadr.Unmarshal(out)
		require.NoError(t, err, "answer does not decode:\n%s", out)
	})
}

func dirExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
