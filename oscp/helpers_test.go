package oscp_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/oscp"
)

const base = "https://sn.example"

var testNow = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// newMock returns a client whose requests go to a fresh httpmock transport.
func newMock(t *testing.T, opts ...oscp.Option) (*oscp.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]oscp.Option{
		oscp.WithHTTPClient(&http.Client{Transport: mt}),
		oscp.WithBaseURL(base),
		oscp.WithClock(clock.NewFake(testNow)),
	}, opts...)
	c, err := oscp.New("test-token-id", "test-token-secret", opts...)
	require.NoError(t, err)
	return c, mt
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

func url(p string) string { return base + oscp.APIPath + p }

func fmtAll(v any) string { return fmt.Sprintf("%v %+v %#v %s %q %x", v, v, v, v, v, v) }
