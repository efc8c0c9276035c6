package volue_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/energytest"
	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

func TestPriceSourceContract(t *testing.T) {
	fc := clock.NewFake(t0)
	srv := voluetest.NewServer(voluetest.WithClock(fc))
	defer srv.Close()
	srv.Publish(voluetest.PriceCurve("home", t0.Add(-2*time.Hour), 36))
	srv.Publish(voluetest.PriceDelta("home", t0.Add(3*time.Hour), 1.99))
	srv.Publish(voluetest.PriceCurve("cabin", t0, 36)) // another location: ignored
	ps, err := volue.NewPriceSource("home", volue.WithPriceSourceClock(fc))
	require.NoError(t, err)
	require.NoError(t, ps.Load(t.Context(), srv.Client()))
	energytest.TestPriceSource(t, energytest.PriceSourceHarness{Source: ps, Requests: srv.Requests, Now: fc.Now})

	got, err := ps.Prices(t.Context(), t0, t0.Add(5*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 6, "the interval under way and the next five hours")
	assert.Equal(t, t0.Truncate(time.Hour), got[0].Start)
	assert.Equal(t, 1.99, got[3].PerKWh, "the delta applied")
	assert.Equal(t, voluetest.Price(got[2].Start), got[2].PerKWh)
	assert.Equal(t, "NOK", got[0].Currency)
	assert.Equal(t, energy.ChannelImport, got[0].Channel)
}

func TestPriceSourceFromEventsFixture(t *testing.T) {
	c, mt, fc := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/events", respond(t, 200, "events.json"))
	fc.Set(time.Date(2026, 12, 3, 1, 30, 0, 0, time.UTC))
	ps, err := volue.NewPriceSource("home", volue.WithPriceSourceClock(fc))
	require.NoError(t, err)
	require.NoError(t, ps.Load(t.Context(), c))
	got, err := ps.Prices(t.Context(), time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, []float64{0.61, 0.72, 0.55}, []float64{got[0].PerKWh, got[1].PerKWh, got[2].PerKWh})
	assert.Equal(t, []bool{false, true, true}, []bool{got[0].Forecast, got[1].Forecast, got[2].Forecast})
}

func TestPriceSourceEventOrder(t *testing.T) {
	ctx := t.Context()
	ps, err := volue.NewPriceSource("home")
	require.NoError(t, err)
	_, err = ps.Prices(ctx, t0, t0.Add(time.Hour))
	require.ErrorIs(t, err, energy.ErrUnavailable, "no curve yet")

	at := func(e volue.Event, created time.Time) volue.Event { e.CreatedAt = created; return e }
	newer := at(voluetest.PriceCurve("home", t0, 4), t0.Add(time.Hour))
	older := at(voluetest.PriceCurve("home", t0, 2), t0)
	stale := at(voluetest.PriceDelta("home", t0, 9), t0.Add(30*time.Minute))
	require.NoError(t, ps.Handle(ctx, at(voluetest.PriceDelta("home", t0, 7), t0))) // before any curve: nothing to change
	require.NoError(t, ps.Handle(ctx, newer))
	require.NoError(t, ps.Handle(ctx, older))
	require.NoError(t, ps.Handle(ctx, stale))
	got, err := ps.Prices(ctx, t0, t0.Add(4*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 4, "the older curve did not replace the newer")
	assert.Equal(t, voluetest.Price(got[0].Start), got[0].PerKWh, "a delta older than the curve is ignored")

	// A quarter-hour delta splits the hour it falls in.
	q := at(voluetest.PriceDelta("home", t0, 0), t0.Add(2*time.Hour))
	q.Payload.(*volue.PriceDelta).Resolution = volue.TimeSpan(15 * time.Minute)
	q.Payload.(*volue.PriceDelta).Points[0] = volue.PricePoint{Start: t0.Truncate(time.Hour).Add(15 * time.Minute), Price: 0.1}
	require.NoError(t, ps.Handle(ctx, q))
	got, err = ps.Prices(ctx, t0.Truncate(time.Hour), t0.Add(4*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 6)
	h0 := t0.Truncate(time.Hour)
	assert.Equal(t, []time.Time{h0, h0.Add(15 * time.Minute), h0.Add(30 * time.Minute), h0.Add(time.Hour)},
		[]time.Time{got[0].Start, got[1].Start, got[2].Start, got[3].Start})
	assert.Equal(t, []float64{voluetest.Price(h0), 0.1, voluetest.Price(h0)}, []float64{got[0].PerKWh, got[1].PerKWh, got[2].PerKWh})
	assert.Equal(t, h0.Add(time.Hour), got[2].End)

	undated := voluetest.PriceCurve("home", t0, 2)
	undated.Payload.(*volue.PriceCurveCreated).Points[0].Start = time.Time{}
	require.Error(t, ps.Handle(ctx, undated), "a point without a time")

	wrong := at(voluetest.PriceDelta("home", t0, 1), t0.Add(3*time.Hour))
	wrong.Payload.(*volue.PriceDelta).Currency = "EUR"
	require.Error(t, ps.Handle(ctx, wrong))

	_, err = volue.NewPriceSource("")
	wantField(t, err, "locationID")
	_, err = volue.NewPriceSource("x", volue.WithPriceSourceClock(nil))
	wantField(t, err, "WithPriceSourceClock")
	_, err = ps.Prices(context.Background(), time.Time{}, t0)
	wantField(t, err, "from")
}

func TestPriceSourceEventsWithoutCreationTime(t *testing.T) {
	ctx := t.Context()
	ps, err := volue.NewPriceSource("home")
	require.NoError(t, err)
	dated := voluetest.PriceCurve("home", t0, 2)
	dated.CreatedAt = t0
	require.NoError(t, ps.Handle(ctx, dated))
	// A delivery that does not say when it was created is a new one, not
	// one older than every dated curve.
	require.NoError(t, ps.Handle(ctx, voluetest.PriceDelta("home", t0, 3.5)))
	newer := voluetest.PriceCurve("home", t0, 4)
	require.NoError(t, ps.Handle(ctx, newer))
	got, err := ps.Prices(ctx, t0, t0.Add(4*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 4, "the undated curve replaced the dated one")
	assert.Equal(t, voluetest.Price(got[0].Start), got[0].PerKWh)
	require.NoError(t, ps.Handle(ctx, voluetest.PriceDelta("home", t0, 3.5)))
	got, err = ps.Prices(ctx, t0, t0.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 3.5, got[0].PerKWh)
}

func TestPriceSourceRefusesOverlappingPoints(t *testing.T) {
	ps, err := volue.NewPriceSource("home")
	require.NoError(t, err)
	curve := voluetest.PriceCurve("home", t0, 3)
	pts := curve.Payload.(*volue.PriceCurveCreated).Points
	pts[2].Start = pts[1].Start.Add(30 * time.Minute)
	require.Error(t, ps.Handle(t.Context(), curve))
	_, err = ps.Prices(t.Context(), t0, t0.Add(time.Hour))
	require.ErrorIs(t, err, energy.ErrUnavailable, "not applied")
}

// TestPriceSourceMatchesAMinuteByMinuteModel applies random curves and
// deltas of mixed resolutions, in random order of points, and checks the
// answer minute by minute against the plainest model: a map from minute to
// price, each event writing the minutes it covers.
func TestPriceSourceMatchesAMinuteByMinuteModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	h0 := t0.Truncate(time.Hour)
	res := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour}
	// event returns an event of the type with n non-overlapping points of
	// one resolution, shuffled, starting at random quarter hours.
	event := func(delta bool, n int) volue.Event {
		d := res[rng.IntN(len(res))]
		var pts []volue.PricePoint
		at := h0.Add(time.Duration(rng.IntN(8)) * 15 * time.Minute)
		for range n {
			pts = append(pts, volue.PricePoint{Start: at, Price: float64(rng.IntN(1000)) / 100})
			at = at.Add(d + time.Duration(rng.IntN(3))*15*time.Minute)
		}
		rng.Shuffle(len(pts), func(i, j int) { pts[i], pts[j] = pts[j], pts[i] })
		c := volue.PriceCurve{LocationID: "home", Currency: "NOK", Resolution: volue.TimeSpan(d), Points: pts}
		if delta {
			return volue.Event{Type: volue.EventPriceDelta, Payload: &volue.PriceDelta{PriceCurve: c}}
		}
		return volue.Event{Type: volue.EventPriceCurveCreated, Payload: &volue.PriceCurveCreated{PriceCurve: c}}
	}
	apply := func(model map[time.Time]float64, e volue.Event) {
		var c volue.PriceCurve
		switch p := e.Payload.(type) {
		case *volue.PriceCurveCreated:
			clear(model)
			c = p.PriceCurve
		case *volue.PriceDelta:
			c = p.PriceCurve
		}
		for _, pt := range c.Points {
			for m := pt.Start; m.Before(pt.Start.Add(c.Resolution.Duration())); m = m.Add(time.Minute) {
				model[m] = pt.Price
			}
		}
	}
	for round := range 200 {
		ps, err := volue.NewPriceSource("home")
		require.NoError(t, err)
		model := map[time.Time]float64{}
		for i := range 1 + rng.IntN(6) {
			e := event(i > 0 && rng.IntN(4) > 0, 1+rng.IntN(12))
			require.NoError(t, ps.Handle(t.Context(), e))
			apply(model, e)
		}
		got, err := ps.Prices(t.Context(), h0.Add(-time.Hour), h0.Add(3*24*time.Hour))
		require.NoError(t, err)
		seen := 0
		for i, p := range got {
			require.True(t, p.Start.Before(p.End), "round %d: empty interval %v", round, p)
			if i > 0 {
				require.False(t, p.Start.Before(got[i-1].End), "round %d: %v overlaps %v", round, p, got[i-1])
			}
			for m := p.Start; m.Before(p.End); m = m.Add(time.Minute) {
				want, ok := model[m]
				require.True(t, ok, "round %d: %s priced but set by no event", round, m)
				require.Equal(t, want, p.PerKWh, "round %d: price at %s", round, m)
				seen++
			}
		}
		require.Equal(t, len(model), seen, "round %d: every minute an event set is priced", round)
	}
}

func TestPriceSourceLoadTakesAnUndatedCurveAsTheNewest(t *testing.T) {
	c, mt, _ := newMock(t)
	mt.RegisterResponder(http.MethodGet, base+"/events", httpmock.NewStringResponder(200, `{"events":[
		{"id":"undated","type":"PriceCurveCreated","payload":{"locationId":"home","currency":"NOK","resolution":"01:00:00","points":[{"timestamp":"2026-12-03T00:00:00Z","price":2}]}},
		{"id":"dated","type":"PriceCurveCreated","createdAt":"2026-12-02T12:00:00Z","payload":{"locationId":"home","currency":"NOK","resolution":"01:00:00","points":[{"timestamp":"2026-12-03T00:00:00Z","price":1}]}}]}`))
	ps, err := volue.NewPriceSource("home")
	require.NoError(t, err)
	require.NoError(t, ps.Load(t.Context(), c))
	got, err := ps.Prices(t.Context(), t0, t0.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, 2.0, got[0].PerKWh, "as Handle takes it")
}
