package alphaess

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/gridwire/gridwire/energy"
)

// ChargeSettings are a system's grid-charge settings (getChargeConfigInfo,
// updateChargeConfigInfo): two daily periods in the system's zone in which
// the battery charges from the grid up to StopAt. A write replaces all of
// them; UpdateChargeSettings reads, patches and writes in one call.
type ChargeSettings struct {
	// GridCharge enables charging from the grid in the periods (gridCharge).
	GridCharge bool
	// StopAt is the state of charge at which grid charging stops
	// (batHighCap, whole percent on the wire).
	StopAt energy.Fraction
	// Period1 and Period2 are the charge periods (timeChaf1–timeChae1,
	// timeChaf2–timeChae2; f is from, e is end). A period whose Start
	// equals its End is off.
	Period1, Period2 Period
}

// DischargeSettings are a system's discharge settings
// (getDisChargeConfigInfo, updateDisChargeConfigInfo). With TimeControl on,
// the battery discharges only in the two daily periods, and never below
// StopAt. A write replaces all of them; UpdateDischargeSettings reads,
// patches and writes in one call.
type DischargeSettings struct {
	// TimeControl limits discharging to the periods (ctrDis).
	TimeControl bool
	// StopAt is the cut-off state of charge (batUseCap, whole percent on
	// the wire).
	StopAt energy.Fraction
	// Period1 and Period2 are the discharge periods (timeDisf1–timeDise1,
	// timeDisf2–timeDise2). A period whose Start equals its End is off.
	Period1, Period2 Period
}

// Validate returns a *energy.FieldError naming the first bad field: StopAt
// must be a whole percent from 0 to 1, and the periods valid times on the
// 15-minute grid.
func (s ChargeSettings) Validate() error { return validateSettings(s.StopAt, s.Period1, s.Period2) }

// Validate is as ChargeSettings.Validate.
func (s DischargeSettings) Validate() error {
	return validateSettings(s.StopAt, s.Period1, s.Period2)
}

func validateSettings(stop energy.Fraction, p1, p2 Period) error {
	if _, err := wholePercent("StopAt", stop); err != nil {
		return err
	}
	for i, p := range []Period{p1, p2} {
		if err := p.Start.validate(fmt.Sprintf("Period%d.Start", i+1)); err != nil {
			return err
		}
		if err := p.End.validate(fmt.Sprintf("Period%d.End", i+1)); err != nil {
			return err
		}
	}
	return nil
}

// wholePercent converts a fraction to the whole percent AlphaESS takes.
// A fraction that is not a whole percent is rejected rather than rounded.
func wholePercent(field string, f energy.Fraction) (int, error) {
	p := float64(f) * 100
	if math.IsNaN(p) || math.IsInf(p, 0) || !f.Valid() {
		return 0, energy.Invalid(field, "%v is outside 0..1 (a fraction, not percent)", float64(f))
	}
	r := math.Round(p)
	if math.Abs(p-r) > 1e-6 {
		return 0, energy.Invalid(field, "%v is %.4g %%; AlphaESS takes whole percent", float64(f), p)
	}
	return int(r), nil
}

// wireSettings is the data of getChargeConfigInfo and of
// getDisChargeConfigInfo; each reads its own names.
type wireSettings struct {
	GridCharge num    `json:"gridCharge"`
	BatHighCap num    `json:"batHighCap"`
	TimeChaf1  string `json:"timeChaf1"`
	TimeChae1  string `json:"timeChae1"`
	TimeChaf2  string `json:"timeChaf2"`
	TimeChae2  string `json:"timeChae2"`

	CtrDis    num    `json:"ctrDis"`
	BatUseCap num    `json:"batUseCap"`
	TimeDisf1 string `json:"timeDisf1"`
	TimeDise1 string `json:"timeDise1"`
	TimeDisf2 string `json:"timeDisf2"`
	TimeDise2 string `json:"timeDise2"`
}

// chargeBody and dischargeBody are the POST bodies: all seven fields, since
// a write replaces the whole record.
type chargeBody struct {
	SysSn      string `json:"sysSn"`
	BatHighCap int    `json:"batHighCap"`
	GridCharge int    `json:"gridCharge"`
	TimeChaf1  string `json:"timeChaf1"`
	TimeChae1  string `json:"timeChae1"`
	TimeChaf2  string `json:"timeChaf2"`
	TimeChae2  string `json:"timeChae2"`
}

type dischargeBody struct {
	SysSn     string `json:"sysSn"`
	BatUseCap int    `json:"batUseCap"`
	CtrDis    int    `json:"ctrDis"`
	TimeDisf1 string `json:"timeDisf1"`
	TimeDise1 string `json:"timeDise1"`
	TimeDisf2 string `json:"timeDisf2"`
	TimeDise2 string `json:"timeDise2"`
}

func b01(b bool) int {
	if b {
		return 1
	}
	return 0
}

// periods parses the four wire times of two periods.
func periods(names [4]string, vals [4]string) (p1, p2 Period, err error) {
	var t [4]TimeOfDay
	for i, v := range vals {
		if t[i], err = ParseTimeOfDay(v); err != nil {
			return p1, p2, fmt.Errorf("%s: %w", names[i], err)
		}
	}
	return Period{t[0], t[1]}, Period{t[2], t[3]}, nil
}

func required(field string, n num) (float64, error) {
	if !n.ok {
		return 0, fmt.Errorf("alphaess: %s is null", field)
	}
	return n.v, nil
}

// ChargeSettings returns the system's grid-charge settings
// (getChargeConfigInfo).
func (c *Client) ChargeSettings(ctx context.Context) (*ChargeSettings, error) {
	q, err := c.snQuery()
	if err != nil {
		return nil, err
	}
	raw, err := c.call(ctx, epChargeConfig, q, nil)
	if err != nil {
		return nil, err
	}
	var w wireSettings
	if err := decodeData(epChargeConfig, raw, &w); err != nil {
		return nil, err
	}
	s, err := func() (s ChargeSettings, err error) {
		if s.GridCharge, err = w.GridCharge.bool01("gridCharge"); err != nil {
			return s, err
		}
		pct, err := required("batHighCap", w.BatHighCap)
		if err != nil {
			return s, err
		}
		s.StopAt = energy.FromPercent(pct)
		s.Period1, s.Period2, err = periods([4]string{"timeChaf1", "timeChae1", "timeChaf2", "timeChae2"},
			[4]string{w.TimeChaf1, w.TimeChae1, w.TimeChaf2, w.TimeChae2})
		return s, err
	}()
	if err != nil {
		return nil, decodeError(epChargeConfig, raw, err)
	}
	return &s, nil
}

// SetChargeSettings replaces the system's grid-charge settings
// (updateChargeConfigInfo). s is validated before anything is sent. With
// WithVerifyWrites the settings are read back and a difference is a
// *NotAppliedError.
func (c *Client) SetChargeSettings(ctx context.Context, s ChargeSettings) error {
	if err := c.needSN(); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	pct, _ := wholePercent("StopAt", s.StopAt)
	body := chargeBody{
		SysSn: c.sn, BatHighCap: pct, GridCharge: b01(s.GridCharge),
		TimeChaf1: s.Period1.Start.String(), TimeChae1: s.Period1.End.String(),
		TimeChaf2: s.Period2.Start.String(), TimeChae2: s.Period2.End.String(),
	}
	if _, err := c.call(ctx, epUpdateCharge, nil, body); err != nil {
		return err
	}
	if !c.core.verify {
		return nil
	}
	got, err := c.ChargeSettings(ctx)
	if err != nil {
		return fmt.Errorf("alphaess: reading back %s: %w", epUpdateCharge.name, err)
	}
	return notApplied(epUpdateCharge, settingsDiff("GridCharge", s.GridCharge, got.GridCharge, s.StopAt, got.StopAt,
		[2]Period{s.Period1, s.Period2}, [2]Period{got.Period1, got.Period2}))
}

// UpdateChargeSettings reads the system's grid-charge settings, lets edit
// change them, and writes the result (a full replacement, as AlphaESS
// requires). An error from edit stops it before the write.
func (c *Client) UpdateChargeSettings(ctx context.Context, edit func(*ChargeSettings) error) error {
	s, err := c.ChargeSettings(ctx)
	if err != nil {
		return err
	}
	if err := edit(s); err != nil {
		return err
	}
	return c.SetChargeSettings(ctx, *s)
}

// DischargeSettings returns the system's discharge settings
// (getDisChargeConfigInfo).
func (c *Client) DischargeSettings(ctx context.Context) (*DischargeSettings, error) {
	q, err := c.snQuery()
	if err != nil {
		return nil, err
	}
	raw, err := c.call(ctx, epDischargeConfig, q, nil)
	if err != nil {
		return nil, err
	}
	var w wireSettings
	if err := decodeData(epDischargeConfig, raw, &w); err != nil {
		return nil, err
	}
	s, err := func() (s DischargeSettings, err error) {
		if s.TimeControl, err = w.CtrDis.bool01("ctrDis"); err != nil {
			return s, err
		}
		pct, err := required("batUseCap", w.BatUseCap)
		if err != nil {
			return s, err
		}
		s.StopAt = energy.FromPercent(pct)
		s.Period1, s.Period2, err = periods([4]string{"timeDisf1", "timeDise1", "timeDisf2", "timeDise2"},
			[4]string{w.TimeDisf1, w.TimeDise1, w.TimeDisf2, w.TimeDise2})
		return s, err
	}()
	if err != nil {
		return nil, decodeError(epDischargeConfig, raw, err)
	}
	return &s, nil
}

// SetDischargeSettings replaces the system's discharge settings
// (updateDisChargeConfigInfo). s is validated before anything is sent. With
// WithVerifyWrites the settings are read back and a difference is a
// *NotAppliedError.
func (c *Client) SetDischargeSettings(ctx context.Context, s DischargeSettings) error {
	if err := c.needSN(); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	pct, _ := wholePercent("StopAt", s.StopAt)
	body := dischargeBody{
		SysSn: c.sn, BatUseCap: pct, CtrDis: b01(s.TimeControl),
		TimeDisf1: s.Period1.Start.String(), TimeDise1: s.Period1.End.String(),
		TimeDisf2: s.Period2.Start.String(), TimeDise2: s.Period2.End.String(),
	}
	if _, err := c.call(ctx, epUpdateDischarge, nil, body); err != nil {
		return err
	}
	if !c.core.verify {
		return nil
	}
	got, err := c.DischargeSettings(ctx)
	if err != nil {
		return fmt.Errorf("alphaess: reading back %s: %w", epUpdateDischarge.name, err)
	}
	return notApplied(epUpdateDischarge, settingsDiff("TimeControl", s.TimeControl, got.TimeControl, s.StopAt, got.StopAt,
		[2]Period{s.Period1, s.Period2}, [2]Period{got.Period1, got.Period2}))
}

// UpdateDischargeSettings reads the system's discharge settings, lets edit
// change them, and writes the result. An error from edit stops it before
// the write.
func (c *Client) UpdateDischargeSettings(ctx context.Context, edit func(*DischargeSettings) error) error {
	s, err := c.DischargeSettings(ctx)
	if err != nil {
		return err
	}
	if err := edit(s); err != nil {
		return err
	}
	return c.SetDischargeSettings(ctx, *s)
}

func settingsDiff(flag string, sentFlag, gotFlag bool, sentStop, gotStop energy.Fraction, sent, got [2]Period) []FieldDiff {
	var d []FieldDiff
	if sentFlag != gotFlag {
		d = append(d, FieldDiff{flag, strconv.FormatBool(sentFlag), strconv.FormatBool(gotFlag)})
	}
	if math.Round(sentStop.Percent()) != math.Round(gotStop.Percent()) {
		d = append(d, FieldDiff{"StopAt", sentStop.String(), gotStop.String()})
	}
	for i := range sent {
		if sent[i].Off() && got[i].Off() {
			continue // 00:00–00:00 and 06:00–06:00 are the same "off"
		}
		if sent[i].Start != got[i].Start {
			d = append(d, FieldDiff{fmt.Sprintf("Period%d.Start", i+1), sent[i].Start.String(), got[i].Start.String()})
		}
		if sent[i].End != got[i].End {
			d = append(d, FieldDiff{fmt.Sprintf("Period%d.End", i+1), sent[i].End.String(), got[i].End.String()})
		}
	}
	return d
}

func notApplied(ep endpoint, diffs []FieldDiff) error {
	if len(diffs) == 0 {
		return nil
	}
	return &NotAppliedError{Endpoint: ep.name, Diffs: diffs}
}
