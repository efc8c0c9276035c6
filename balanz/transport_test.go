package balanz_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/ocppj"
)

func TestLogin(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	c, err := balanz.Dial(ctx(t), srv.URL)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Login(ctx(t), "")
	var fe *energy.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 0, srv.Requests())

	_, err = c.Chargers(ctx(t), balanz.ChargerFilter{})
	assert.ErrorIs(t, err, &balanz.Error{Status: balanz.StatusNotAuthorized})
	_, err = c.Login(ctx(t), "wrong")
	assert.ErrorIs(t, err, energy.ErrUnauthorized)
	assert.ErrorIs(t, err, &balanz.Error{Command: "Login", Status: balanz.StatusInvalidLogin})
	assert.NotContains(t, err.Error(), "wrong")
	// the connection stays open after a failed login
	typ, err := c.Login(ctx(t), balanztest.TokenTags)
	require.NoError(t, err)
	assert.Equal(t, balanz.UserTags, typ)
}

func TestPermissions(t *testing.T) {
	srv := balanztest.NewServer()
	defer srv.Close()
	calls := map[string]func(c *balanz.Client) error{
		"GetChargers": func(c *balanz.Client) error { _, err := c.Chargers(ctx(t), balanz.ChargerFilter{}); return err },
		"GetTags":     func(c *balanz.Client) error { _, err := c.Tags(ctx(t)); return err },
		"SetChargePriority": func(c *balanz.Client) error {
			err := c.SetChargePriority(ctx(t), balanz.ByID(balanztest.SeedHomeCharger1), 1, 3)
			if errors.Is(err, &balanz.Error{Status: balanz.StatusConnectorNotInTransaction}) {
				return nil // allowed; no session to prioritise
			}
			return err
		},
		"GetStatus": func(c *balanz.Client) error { _, err := c.ServerStatus(ctx(t)); return err },
	}
	for _, tc := range []struct {
		token string
		typ   balanz.UserType
		may   []string
	}{
		{balanztest.TokenStatus, balanz.UserStatus, []string{"GetChargers"}},
		{balanztest.TokenAnalysis, balanz.UserAnalysis, []string{"GetChargers", "GetTags"}},
		{balanztest.TokenSessionPriority, balanz.UserSessionPriority, []string{"GetChargers", "SetChargePriority"}},
		{balanztest.TokenTags, balanz.UserTags, []string{"GetChargers", "GetTags", "SetChargePriority"}},
		{balanztest.TokenAdmin, balanz.UserAdmin, []string{"GetChargers", "GetTags", "SetChargePriority", "GetStatus"}},
	} {
		c, err := balanz.Dial(ctx(t), srv.URL)
		require.NoError(t, err)
		typ, err := c.Login(ctx(t), tc.token)
		require.NoError(t, err)
		assert.Equal(t, tc.typ, typ)
		for name, call := range calls {
			err := call(c)
			if slices.Contains(tc.may, name) {
				assert.NoError(t, err, "%s %s", tc.typ, name)
			} else {
				assert.ErrorIs(t, err, energy.ErrUnauthorized, "%s %s", tc.typ, name)
			}
		}
		c.Close()
	}
}

func TestFakeErrorShapes(t *testing.T) {
	srv, c, _ := fake(t)
	err := c.Call(ctx(t), "GetConfig", nil, nil)
	assert.ErrorIs(t, err, energy.ErrUnsupported)
	var be *balanz.Error
	require.ErrorAs(t, err, &be)
	assert.True(t, be.Status.InvalidCommand())

	srv.FailNext(1, balanztest.Fault{Endpoint: "GetTags", Status: "IllegalArguments", Bare: true})
	_, err = c.Tags(ctx(t))
	assert.ErrorIs(t, err, energy.ErrInvalid)
	assert.JSONEq(t, `"IllegalArguments"`, string(errPayload(err)))

	srv.FailNext(1, balanztest.Fault{Status: "ChargerNotConnected"})
	_, err = c.Tags(ctx(t))
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	assert.JSONEq(t, `{"status":"ChargerNotConnected"}`, string(errPayload(err)))

	srv.FailNext(1, balanztest.Fault{Orphan: true, Status: "ProtocolError"})
	_, err = c.Tags(ctx(t))
	require.ErrorAs(t, err, &be)
	assert.True(t, be.Orphan)
	assert.Equal(t, balanz.StatusProtocolError, be.Status)

	// balanz's handlers call .get on the payload and fail with 007 on
	// anything but an object: nil, and values that encode to null, go as {}
	require.NoError(t, c.Call(ctx(t), "GetTags", nil, nil))
	require.NoError(t, c.Call(ctx(t), "GetTags", (*struct{})(nil), nil))
	require.NoError(t, c.Call(ctx(t), "GetTags", map[string]any(nil), nil))
	// and anything else is refused before it is sent
	before := srv.Requests()
	err = c.Call(ctx(t), "GetChargers", []int{1}, nil)
	assert.ErrorIs(t, err, energy.ErrInvalid)
	assert.Equal(t, before, srv.Requests())
}

func errPayload(err error) []byte {
	var be *balanz.Error
	if errors.As(err, &be) {
		return be.Payload
	}
	return nil
}

// A "007" goes to the oldest call in flight, which is the one balanz was
// answering; the calls behind it get their own answers.
func TestOrphanGoesToOldest(t *testing.T) {
	srv, c, _ := fake(t)
	srv.FailNext(1, balanztest.Fault{Endpoint: "GetTags", Orphan: true, Delay: 100 * time.Millisecond})
	errs := make(chan error, 1)
	go func() { _, err := c.Tags(ctx(t)); errs <- err }()
	waitRequests(t, srv, 2) // login + GetTags
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gs, err := c.Groups(ctx(t), false)
			assert.NoError(t, err)
			assert.Len(t, gs, 2)
		}()
	}
	wg.Wait()
	err := <-errs
	var be *balanz.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "GetTags", be.Command)
	assert.True(t, be.Orphan)
}

func waitRequests(t *testing.T, srv *balanztest.Server, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return srv.Requests() >= n }, 5*time.Second, time.Millisecond)
}

// A call given up by its context keeps its place: the "007" balanz sends
// for it later does not land on the call behind it.
func TestAbandonedCallDoesNotShiftAnswers(t *testing.T) {
	srv, c, _ := fake(t)
	srv.FailNext(1, balanztest.Fault{Endpoint: "GetTags", Orphan: true, Delay: 200 * time.Millisecond})
	short, cancel := context.WithTimeout(ctx(t), 20*time.Millisecond)
	defer cancel()
	_, err := c.Tags(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	gs, err := c.Groups(ctx(t), false) // sent while balanz still works on GetTags
	require.NoError(t, err)
	assert.Len(t, gs, 2)
	users, err := c.Users(ctx(t))
	require.NoError(t, err)
	assert.Len(t, users, 5)

	// the same with a normal (id-carrying) late answer
	srv.FailNext(1, balanztest.Fault{Endpoint: "GetTags", Delay: 200 * time.Millisecond})
	short, cancel = context.WithTimeout(ctx(t), 20*time.Millisecond)
	defer cancel()
	_, err = c.Tags(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	chs, err := c.Chargers(ctx(t), balanz.ChargerFilter{Charger: balanz.ByID(balanztest.SeedHomeCharger2)})
	require.NoError(t, err)
	require.Len(t, chs, 1)
	assert.Equal(t, balanztest.SeedHomeCharger2, chs[0].ChargerID)
}

func TestCancelledContextNoIO(t *testing.T) {
	srv, c, _ := fake(t)
	before := srv.Requests()
	cctx, cancel := context.WithCancel(ctx(t))
	cancel()
	_, err := c.Chargers(cctx, balanz.ChargerFilter{})
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, c.Call(cctx, "GetStatus", nil, nil), context.Canceled)
	_, err = balanz.Dial(cctx, srv.URL)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, before, srv.Requests())
}

// 100 goroutines × 50 calls on one connection: each answer reaches its own
// caller.
func TestManyGoroutines(t *testing.T) {
	srv, c, _ := fake(t)
	ids := []string{balanztest.SeedHomeCharger1, balanztest.SeedHomeCharger2, balanztest.SeedSiteCharger, balanztest.SeedOfflineCharger}
	var wg sync.WaitGroup
	for g := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				want := ids[(g+i)%len(ids)]
				chs, err := c.Chargers(ctx(t), balanz.ChargerFilter{Charger: balanz.ByID(want)})
				if !assert.NoError(t, err) || !assert.Len(t, chs, 1) {
					return
				}
				assert.Equal(t, want, chs[0].ChargerID)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1+100*50, srv.Requests())
}

func TestHostileFrames(t *testing.T) {
	for _, tc := range []struct {
		name, frame string
	}{
		{"not JSON", `{{{ not json`},
		{"not an array", `{"status":"Accepted"}`},
		{"id a number", `[3, 17, []]`},
		{"wrong payload type", `[3, "ID", {"charger_id": 5}]`},
		{"connector key not numeric", `[3, "ID", [{"charger_id":"A","connectors":{"one":{}}}]]`},
		{"time not a time", `[3, "ID", [{"charger_id":"A","connectors":{"1":{"suspend_until":"soon"}}}]]`},
		{"truncated", `[3, "ID", [{"charger_id":"A"`},
		{"empty", ``},
		{"trailing element", `[3, "ID", [], []]`},
		{"unknown type", `[9, "ID", []]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := scripted(t, func(ctx context.Context, ws *websocket.Conn, f ocppj.Frame) {
				if f.Action == "GetChargers" {
					write(ctx, ws, withID(tc.frame, f.ID))
					return
				}
				write(ctx, ws, withID(`[3, "ID", []]`, f.ID))
			})
			c := dialScripted(t, url)
			_, err := c.Chargers(ctx(t), balanz.ChargerFilter{})
			require.Error(t, err)
			var de *balanz.DecodeError
			assert.ErrorAs(t, err, &de)
			// the connection carries on
			tags, err := c.Tags(ctx(t))
			require.NoError(t, err)
			assert.Empty(t, tags)
		})
	}
}

// An answer beyond the read limit closes the connection: every call in
// flight fails as unavailable, nothing panics.
func TestHugeFrame(t *testing.T) {
	srv, c, _ := fake(t)
	srv.FailNext(1, balanztest.Fault{Endpoint: "DrawAll", Size: 100 << 20})
	_, err := c.DrawAll(ctx(t), true)
	assert.ErrorIs(t, err, energy.ErrUnavailable)
	_, err = c.Tags(ctx(t))
	assert.ErrorIs(t, err, energy.ErrUnavailable)

	// a large answer within the limit is read whole
	srv, c, _ = fake(t)
	srv.FailNext(1, balanztest.Fault{Endpoint: "GetCSVSessions", Size: 20 << 20})
	csv, err := c.SessionsCSV(ctx(t))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(csv), 20<<20)
}

func TestUnknownIDIgnored(t *testing.T) {
	url := scripted(t, func(ctx context.Context, ws *websocket.Conn, f ocppj.Frame) {
		write(ctx, ws, `[3, "nobody", {}]`)
		write(ctx, ws, `[2, "s1", "Heartbeat", {}]`) // balanz never calls the client; ignored
		write(ctx, ws, withID(`[3, "ID", []]`, f.ID))
	})
	c := dialScripted(t, url)
	tags, err := c.Tags(ctx(t))
	require.NoError(t, err)
	assert.Empty(t, tags)
}

func TestPayloadMustEncode(t *testing.T) {
	srv, c, _ := fake(t)
	before := srv.Requests()
	err := c.Call(ctx(t), "GetTags", map[string]any{"x": make(chan int)}, nil)
	assert.ErrorIs(t, err, energy.ErrInvalid)
	assert.ErrorIs(t, c.Call(ctx(t), "", nil, nil), energy.ErrInvalid)
	assert.Equal(t, before, srv.Requests())
}
