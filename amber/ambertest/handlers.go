package ambertest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

func (s *Server) sites() []wireSite {
	active := wireSite{
		ID: s.SiteID, NMI: "3052282872", Network: "Jemena", Status: "active",
		ActiveFrom: "2024-06-01", IntervalLength: s.length,
		Channels: []wireChannel{{Identifier: "E1", Type: "general", Tariff: "A100"}},
	}
	if s.controlledLoad {
		active.Channels = append(active.Channels, wireChannel{Identifier: "E2", Type: "controlledLoad", Tariff: "A180"})
	}
	active.Channels = append(active.Channels, wireChannel{Identifier: "B1", Type: "feedIn", Tariff: "A100"})
	closed := wireSite{
		ID: s.ClosedSiteID, NMI: "6407654321", Network: "Ausgrid", Status: "closed",
		ActiveFrom: "2021-05-01", ClosedOn: "2024-05-31", IntervalLength: 30,
		Channels: []wireChannel{{Identifier: "E1", Type: "general", Tariff: "EA010"}},
	}
	return []wireSite{closed, active}
}

func (s *Server) site(w http.ResponseWriter, r *http.Request) (wireSite, bool) {
	id := r.PathValue("site")
	for _, site := range s.sites() {
		if site.ID == id {
			return site, true
		}
	}
	writeError(w, http.StatusNotFound, "Site not found")
	return wireSite{}, false
}

func (s *Server) handleSites(w http.ResponseWriter, _ *http.Request, _ time.Time) {
	writeJSON(w, http.StatusOK, s.sites())
}

func (s *Server) handleCurrentPrices(w http.ResponseWriter, r *http.Request, now time.Time) {
	site, ok := s.site(w, r)
	if !ok {
		return
	}
	next, prev, length, ok := countParams(w, r, site.IntervalLength)
	if !ok {
		return
	}
	cur := now.Truncate(length)
	var out []wireInterval
	for _, ch := range site.Channels {
		for i := -prev; i <= next; i++ {
			out = append(out, interval(ch.Type, cur.Add(time.Duration(i)*length), length, now))
		}
	}
	writeJSON(w, http.StatusOK, nulled(r, out))
}

func (s *Server) handlePrices(w http.ResponseWriter, r *http.Request, now time.Time) {
	site, ok := s.site(w, r)
	if !ok {
		return
	}
	start, end, ok := dateParams(w, r, now, false)
	if !ok {
		return
	}
	length, ok := resolutionParam(w, r, site.IntervalLength)
	if !ok {
		return
	}
	var out []wireInterval
	for _, ch := range site.Channels {
		for t := start; t.Before(end); t = t.Add(length) {
			out = append(out, interval(ch.Type, t, length, now))
		}
	}
	writeJSON(w, http.StatusOK, nulled(r, out))
}

func (s *Server) handleUsage(w http.ResponseWriter, r *http.Request, now time.Time) {
	site, ok := s.site(w, r)
	if !ok {
		return
	}
	start, end, ok := dateParams(w, r, now, true)
	if !ok {
		return
	}
	// Meter data arrives late: nothing from today on. (resolution is
	// deprecated and ignored: usage comes at the billing interval.)
	today := midnight(now)
	if start.After(today) {
		writeError(w, http.StatusBadRequest, "startDate is in the future")
		return
	}
	if end.After(today) {
		end = today
	}
	length := time.Duration(site.IntervalLength) * time.Minute
	out := []wireUsage{}
	for _, ch := range site.Channels {
		for t := start; t.Before(end); t = t.Add(length) {
			iv := interval(ch.Type, t, length, now)
			m := marketAt(t, length)
			kwh := usageKWh(ch.Type, t, length, m)
			quality := "billable"
			if hash("q"+t.Format(time.RFC3339)) < 0.02 {
				quality = "estimated"
			}
			out = append(out, wireUsage{
				Type: "Usage", Duration: iv.Duration, Date: iv.Date, StartTime: iv.StartTime, EndTime: iv.EndTime,
				NEMTime: iv.NEMTime, Quality: quality, KWh: kwh, PerKWh: iv.PerKWh, SpotPerKWh: iv.SpotPerKWh,
				ChannelType: ch.Type, ChannelIdentifier: ch.Identifier, Cost: round(kwh**iv.PerKWh, 4),
				Renewables: iv.Renewables, SpikeStatus: iv.SpikeStatus, TariffInformation: iv.TariffInformation,
				Descriptor: iv.Descriptor,
			})
			if nullPrices(r) {
				out[len(out)-1].PerKWh = nil
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// nulled removes the prices of out when a NullPrices fault applies.
func nulled(r *http.Request, out []wireInterval) []wireInterval {
	if nullPrices(r) {
		for i := range out {
			out[i].PerKWh = nil
		}
	}
	return out
}

// renewableType names the renewable kind of each interval kind.
var renewableType = map[string]string{
	"ActualInterval": "ActualRenewable", "CurrentInterval": "CurrentRenewable", "ForecastInterval": "ForecastRenewable",
}

// stateShift makes each state's grid a little different: South Australia
// runs on far more wind and sun than Victoria's brown coal.
var stateShift = map[string]float64{"nsw": -6, "sa": 22, "qld": -2, "vic": -4}

func (s *Server) handleRenewables(w http.ResponseWriter, r *http.Request) {
	shift, ok := stateShift[r.PathValue("state")]
	if !ok {
		writeError(w, http.StatusNotFound, "State not found")
		return
	}
	next, prev, length, ok := countParams(w, r, 30)
	if !ok {
		return
	}
	now := s.clock.Now()
	cur := now.Truncate(length)
	out := make([]wireRenewable, 0, prev+next+1)
	for i := -prev; i <= next; i++ {
		t := cur.Add(time.Duration(i) * length)
		iv := interval("general", t, length, now)
		pct := round(math.Min(100, math.Max(0, iv.Renewables+shift)), 3)
		out = append(out, wireRenewable{
			Type:     renewableType[iv.Type],
			Duration: iv.Duration, Date: iv.Date, NEMTime: iv.NEMTime, StartTime: iv.StartTime, EndTime: iv.EndTime,
			Renewables: pct, Descriptor: renewableDescriptor(pct),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// interval builds the priced interval [start, start+length) of a channel as
// seen at now: actual when it has ended, current while under way, forecast
// before it starts.
func interval(channel string, start time.Time, length time.Duration, now time.Time) wireInterval {
	m := marketAt(start, length)
	end := start.Add(length)
	p := perKWh(channel, m)
	iv := wireInterval{
		Date: start.In(nem).Format(time.DateOnly), Duration: int(length / time.Minute),
		StartTime: start.Add(time.Second).UTC().Format(time.RFC3339), EndTime: end.UTC().Format(time.RFC3339),
		NEMTime: end.In(nem).Format(time.RFC3339), PerKWh: &p, Renewables: m.renewables, SpotPerKWh: m.spot,
		ChannelType: channel, TariffInformation: tariff(m), Descriptor: descriptor(m),
	}
	switch {
	case !end.After(now):
		iv.Type, iv.SpikeStatus = "ActualInterval", spikeStatus(m, false)
		return iv
	case !start.After(now):
		iv.Type, iv.SpikeStatus = "CurrentInterval", spikeStatus(m, false)
		// The price is locked in for the last sixth of the interval.
		estimate := now.Before(end.Add(-length / 6))
		iv.Estimate = &estimate
	default:
		iv.Type, iv.SpikeStatus = "ForecastInterval", spikeStatus(m, true)
	}
	// Amber's band widens with the price and with how far ahead it is.
	lead := math.Min(start.Sub(now).Hours(), 48)
	width := 0.06*math.Abs(p) + 0.8 + 0.05*lead
	iv.AdvancedPrice = &wireAdvanced{Low: round(p-width, 5), Predicted: round(p+0.1*width, 5), High: round(p+1.6*width, 5)}
	if m.spike {
		iv.Range = &wireRange{Min: round(m.spot*0.55, 5), Max: round(m.spot*1.45, 5)}
	}
	return iv
}

// countParams reads next, previous and resolution.
func countParams(w http.ResponseWriter, r *http.Request, defLength int) (next, prev int, length time.Duration, ok bool) {
	var err error
	if next, err = intParam(r, "next"); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return 0, 0, 0, false
	}
	if prev, err = intParam(r, "previous"); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return 0, 0, 0, false
	}
	// Compared so that huge values cannot overflow the sum past the check.
	if next > maxIntervals || prev > maxIntervals-next {
		writeError(w, http.StatusUnprocessableEntity, "Requested number of intervals is greater than 2048")
		return 0, 0, 0, false
	}
	length, ok = resolutionParam(w, r, defLength)
	return next, prev, length, ok
}

func intParam(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a non-negative integer", name)
	}
	return n, nil
}

func resolutionParam(w http.ResponseWriter, r *http.Request, def int) (time.Duration, bool) {
	res := def
	if v := r.URL.Query().Get("resolution"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || (n != 5 && n != 30) {
			writeError(w, http.StatusBadRequest, "resolution must be 5 or 30")
			return 0, false
		}
		res = n
	}
	return time.Duration(res) * time.Minute, true
}

// dateParams reads startDate and endDate (inclusive NEM dates) and returns
// the instants the range starts and ends at: midnight of startDate and
// midnight after endDate.
func dateParams(w http.ResponseWriter, r *http.Request, now time.Time, required bool) (start, end time.Time, ok bool) {
	parse := func(name string) (time.Time, bool) {
		v := r.URL.Query().Get(name)
		if v == "" {
			if required {
				writeError(w, http.StatusBadRequest, name+" is required")
				return time.Time{}, false
			}
			return midnight(now), true
		}
		t, err := time.ParseInLocation(time.DateOnly, v, nem)
		if err != nil {
			writeError(w, http.StatusBadRequest, name+" must be a date (YYYY-MM-DD)")
			return time.Time{}, false
		}
		return t, true
	}
	if start, ok = parse("startDate"); !ok {
		return
	}
	if end, ok = parse("endDate"); !ok {
		return
	}
	days := int(end.Sub(start) / (24 * time.Hour))
	switch {
	case days < 0:
		writeError(w, http.StatusBadRequest, "endDate is before startDate")
		return time.Time{}, time.Time{}, false
	case days > 7:
		writeError(w, http.StatusUnprocessableEntity, "Requested date range is greater than 7 days")
		return time.Time{}, time.Time{}, false
	}
	return start, end.AddDate(0, 0, 1), true
}

// midnight returns the start of t's NEM day.
func midnight(t time.Time) time.Time {
	y, m, d := t.In(nem).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, nem)
}
