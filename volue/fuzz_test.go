package volue_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridwire/gridwire/volue"
)

// FuzzEvent feeds untrusted bodies to the event decoder: never a panic,
// and a decoded event re-encodes as valid JSON.
func FuzzEvent(f *testing.F) {
	var list struct {
		Events []json.RawMessage `json:"events"`
	}
	b, err := os.ReadFile(filepath.Join("testdata", "events.json"))
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(b, &list); err != nil {
		f.Fatal(err)
	}
	for _, e := range list.Events {
		f.Add(string(e))
	}
	f.Add(`{"eventId":"e1"}`)
	f.Add(`{"type":"PriceDelta","payload":{"points":[{"timestamp":"x"}]}}`)
	f.Fuzz(func(t *testing.T, body string) {
		var e volue.Event
		if json.Unmarshal([]byte(body), &e) != nil {
			return
		}
		out, err := json.Marshal(e)
		if err != nil || !json.Valid(out) {
			t.Fatalf("re-encoding %q: %v %s", body, err, out)
		}
	})
}

// FuzzReceiver sends signed arbitrary bodies through the Receiver: it
// answers, never panics, and hands on only what it answered 204 for.
func FuzzReceiver(f *testing.F) {
	f.Add(`{"eventId":"e1"}`, true)
	f.Add(`{"id":"x","type":"PriceCurveCreated","payload":{"resolution":"25:00:00"}}`, true)
	f.Add(`not json`, false)
	f.Fuzz(func(t *testing.T, body string, signed bool) {
		handed := 0
		r, err := volue.NewReceiver(func(context.Context, volue.Event) error { handed++; return nil }, []string{"s"})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		if signed {
			req.Header.Set(volue.SignatureHeader, volue.SignPayload("s", []byte(body)))
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if (w.Code == http.StatusNoContent) != (handed == 1) {
			t.Fatalf("status %d with %d events handed on", w.Code, handed)
		}
	})
}
