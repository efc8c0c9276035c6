package snws2_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

// A client signs every request through the Signer's Transport; a service
// checks them with a Verifier.
func Example() {
	v, _ := snws2.NewVerifier(func(_ context.Context, id string) (string, error) {
		if id == "my-token" {
			return "my-secret", nil
		}
		return "", snws2.ErrUnknownToken
	})
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	})))
	defer srv.Close()

	s, err := snws2.NewSigner("my-token", "my-secret")
	if err != nil {
		fmt.Println(err)
		return
	}
	hc := &http.Client{Transport: s.Transport(nil)}
	resp, err := hc.Get(srv.URL + "/solaruser/api/v1/sec/user/oscp/settings")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output: 200 OK
}
