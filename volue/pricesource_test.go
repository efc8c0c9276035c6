package volue_test

import (
	"context"
	"net/http"
	"testing"
	"time"

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
