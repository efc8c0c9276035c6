package co

import (
	"slices"
	"sync"
	"time"
)

// Quantity is a capacity in its forecast's unit.
type Quantity struct {
	// Value is the capacity.
	Value float64
	// Unit is Value's unit, as the forecast gave it (A, W, KW …).
	Unit Unit
}

// Capacity is what a group may use at one time, per phase. A block for
// PhaseAll applies to the group as a whole; blocks for PhaseOne … PhaseThree
// apply to one phase each.
type Capacity map[Phase]Quantity

// At returns what the forecast allows at t: for each phase, the capacity of
// the block covering t ([StartTime, EndTime)), the smallest when several
// blocks of the same phase and unit cover it. ok is false when no block
// covers t.
func (f CapacityForecast) At(t time.Time) (c Capacity, ok bool) {
	for _, b := range f.ForecastedBlocks {
		if t.Before(b.StartTime) || !t.Before(b.EndTime) {
			continue
		}
		if c == nil {
			c = Capacity{}
		}
		if q, seen := c[b.Phase]; seen && q.Unit == b.Unit && q.Value <= b.Capacity {
			continue
		}
		c[b.Phase] = Quantity{Value: b.Capacity, Unit: b.Unit}
	}
	return c, c != nil
}

// End returns the end of the forecast's last block, or zero.
func (f CapacityForecast) End() time.Time {
	var end time.Time
	for _, b := range f.ForecastedBlocks {
		if b.EndTime.After(end) {
			end = b.EndTime
		}
	}
	return end
}

// Forecasts keeps the latest capacity forecast of each type for each group
// and answers what a group may draw. It is safe for concurrent use; the
// zero value is not usable, call NewForecasts.
type Forecasts struct {
	mu sync.RWMutex
	m  map[string]map[ForecastType]CapacityForecast
}

// NewForecasts returns an empty Forecasts.
func NewForecasts() *Forecasts {
	return &Forecasts{m: map[string]map[ForecastType]CapacityForecast{}}
}

// Put stores f as its group's latest forecast of its type, replacing the
// previous one (OSCP forecasts replace, they do not merge).
func (fs *Forecasts) Put(f CapacityForecast) {
	f.ForecastedBlocks = slices.Clone(f.ForecastedBlocks)
	fs.mu.Lock()
	defer fs.mu.Unlock()
	g := fs.m[f.GroupID]
	if g == nil {
		g = map[ForecastType]CapacityForecast{}
		fs.m[f.GroupID] = g
	}
	g[f.Type] = f
}

// Get returns the group's latest forecast of type typ.
func (fs *Forecasts) Get(groupID string, typ ForecastType) (CapacityForecast, bool) {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	f, ok := fs.m[groupID][typ]
	return f, ok
}

// Groups returns the ids of the groups with a forecast, sorted.
func (fs *Forecasts) Groups() []string {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	out := make([]string, 0, len(fs.m))
	for g := range fs.m {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

// MayDraw answers "what may this group draw at time t": the CONSUMPTION
// forecast's capacity at t, per phase and in the forecast's unit, or, when
// that forecast does not cover t, the FALLBACK_CONSUMPTION one's. ok is
// false when neither covers t; an application should then keep to its own
// safe limit.
func (fs *Forecasts) MayDraw(groupID string, t time.Time) (Capacity, bool) {
	for _, typ := range []ForecastType{Consumption, FallbackConsumption} {
		if f, ok := fs.Get(groupID, typ); ok {
			if c, ok := f.At(t); ok {
				return c, true
			}
		}
	}
	return nil, false
}
