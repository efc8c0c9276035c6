package alphaess

import (
	"context"

	"github.com/gridwire/gridwire/energy"
)

// DailyEnergy is a system's energy totals for one day
// (getOneDateEnergyBySn), converted from the wire's kWh.
type DailyEnergy struct {
	// Date is the day (theDate), in the system's zone.
	Date Date
	// PV is the PV production (epv).
	PV *energy.WattHours
	// Charge and Discharge are the energy into and out of the battery
	// (eCharge, eDischarge).
	Charge, Discharge *energy.WattHours
	// GridCharge is the energy charged into the battery from the grid
	// (eGridCharge).
	GridCharge *energy.WattHours
	// Import and Export are the energy bought from and fed into the grid
	// (eInput, eOutput).
	Import, Export *energy.WattHours
	// EV is the energy of the EV chargers (eChargingPile).
	EV *energy.WattHours
}

// Empty reports whether every total is zero or missing. AlphaESS answers so
// for yesterday while it is still finalising the day (for a while after
// local midnight): treat such a day as not final yet, and ask again later.
func (e DailyEnergy) Empty() bool {
	for _, v := range []*energy.WattHours{e.PV, e.Charge, e.Discharge, e.GridCharge, e.Import, e.Export, e.EV} {
		if v != nil && *v != 0 {
			return false
		}
	}
	return true
}

// wireDailyEnergy is getOneDateEnergyBySn's data: epv lower-case, the rest
// camelCase.
type wireDailyEnergy struct {
	SysSn         string `json:"sysSn"`
	TheDate       string `json:"theDate"`
	Epv           num    `json:"epv"`
	ECharge       num    `json:"eCharge"`
	EDischarge    num    `json:"eDischarge"`
	EGridCharge   num    `json:"eGridCharge"`
	EInput        num    `json:"eInput"`
	EOutput       num    `json:"eOutput"`
	EChargingPile num    `json:"eChargingPile"`
}

// OneDateEnergy returns the system's energy totals for day d in its time
// zone (getOneDateEnergyBySn). d must not be after today in the system's
// zone. See DailyEnergy.Empty for days not yet final.
func (c *Client) OneDateEnergy(ctx context.Context, d Date) (*DailyEnergy, error) {
	q, err := c.dateQuery(d)
	if err != nil {
		return nil, err
	}
	raw, err := c.call(ctx, epOneDateEnergy, q, nil)
	if err != nil {
		return nil, err
	}
	var w wireDailyEnergy
	if err := decodeData(epOneDateEnergy, raw, &w); err != nil {
		return nil, err
	}
	out := &DailyEnergy{
		Date: d, PV: w.Epv.kwh(), Charge: w.ECharge.kwh(), Discharge: w.EDischarge.kwh(),
		GridCharge: w.EGridCharge.kwh(), Import: w.EInput.kwh(), Export: w.EOutput.kwh(), EV: w.EChargingPile.kwh(),
	}
	if w.TheDate != "" {
		if out.Date, err = ParseDate(w.TheDate); err != nil {
			return nil, decodeError(epOneDateEnergy, raw, err)
		}
	}
	return out, nil
}

// Summary is a system's today and lifetime summary (getSumDataForCustomer).
// Energies are converted from the wire's kWh; money is in Currency. Many
// values are nil when no tariff is configured.
type Summary struct {
	// PVToday and PVTotal are the PV production today and in the system's
	// lifetime (epvtoday, epvtotal).
	PVToday, PVTotal *energy.WattHours
	// Load is today's consumption (eload).
	Load *energy.WattHours
	// Export and Import are today's grid feed-in and purchase (eoutput,
	// einput).
	Export, Import *energy.WattHours
	// Charge and Discharge are today's battery energy in and out (echarge,
	// edischarge).
	Charge, Discharge *energy.WattHours
	// IncomeToday and IncomeTotal are the savings in Currency (todayIncome,
	// totalIncome).
	IncomeToday, IncomeTotal *float64
	// Currency is the ISO 4217 code of the income (moneyType).
	Currency string
	// SelfConsumption and SelfSufficiency are ratios (eselfConsumption,
	// eselfSufficiency). The portal says percent but the live API sends
	// fractions (0.47); a value above 1 is read as percent.
	SelfConsumption, SelfSufficiency *energy.Fraction
	// Trees is the equivalent number of trees planted (treeNum).
	Trees *float64
	// CarbonKg is the CO₂ saved, in kg (carbonNum).
	CarbonKg *float64
}

// wireSummary is getSumDataForCustomer's data: all lower-case here.
type wireSummary struct {
	Epvtoday         num    `json:"epvtoday"`
	Epvtotal         num    `json:"epvtotal"`
	Eload            num    `json:"eload"`
	Eoutput          num    `json:"eoutput"`
	Einput           num    `json:"einput"`
	Echarge          num    `json:"echarge"`
	Edischarge       num    `json:"edischarge"`
	TodayIncome      num    `json:"todayIncome"`
	TotalIncome      num    `json:"totalIncome"`
	EselfConsumption num    `json:"eselfConsumption"`
	EselfSufficiency num    `json:"eselfSufficiency"`
	TreeNum          num    `json:"treeNum"`
	CarbonNum        num    `json:"carbonNum"`
	MoneyType        string `json:"moneyType"`
}

// Summary returns the system's today and lifetime summary
// (getSumDataForCustomer).
func (c *Client) Summary(ctx context.Context) (*Summary, error) {
	q, err := c.snQuery()
	if err != nil {
		return nil, err
	}
	raw, err := c.call(ctx, epSumData, q, nil)
	if err != nil {
		return nil, err
	}
	var w wireSummary
	if err := decodeData(epSumData, raw, &w); err != nil {
		return nil, err
	}
	return &Summary{
		PVToday: w.Epvtoday.kwh(), PVTotal: w.Epvtotal.kwh(), Load: w.Eload.kwh(),
		Export: w.Eoutput.kwh(), Import: w.Einput.kwh(), Charge: w.Echarge.kwh(), Discharge: w.Edischarge.kwh(),
		IncomeToday: w.TodayIncome.float(), IncomeTotal: w.TotalIncome.float(), Currency: w.MoneyType,
		SelfConsumption: ratio(w.EselfConsumption), SelfSufficiency: ratio(w.EselfSufficiency),
		Trees: w.TreeNum.float(), CarbonKg: w.CarbonNum.float(),
	}, nil
}

// ratio reads a value documented as percent but sent as a fraction.
func ratio(n num) *energy.Fraction {
	if !n.ok {
		return nil
	}
	if n.v > 1 {
		return n.percent()
	}
	return energy.Ptr(energy.Fraction(n.v))
}
