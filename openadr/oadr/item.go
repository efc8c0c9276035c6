package oadr

import (
	"encoding/xml"
	"fmt"
	"math"
)

// ItemKind names the member of the emix:itemBase substitution group that gives a
// signal, report data point or specifier its unit: the element's local name.
type ItemKind string

// Item kinds of the 2.0b schema. The power and energy kinds live in the emix
// power namespace, the others in the oadr namespace.
const (
	ItemVoltage        ItemKind = "voltage"        // power:voltage, V
	ItemEnergyApparent ItemKind = "energyApparent" // power:energyApparent, VAh
	ItemEnergyReactive ItemKind = "energyReactive" // power:energyReactive, VARh
	ItemEnergyReal     ItemKind = "energyReal"     // power:energyReal, Wh
	ItemPowerApparent  ItemKind = "powerApparent"  // power:powerApparent, VA
	ItemPowerReactive  ItemKind = "powerReactive"  // power:powerReactive, VAR
	ItemPowerReal      ItemKind = "powerReal"      // power:powerReal, W
	ItemCurrent        ItemKind = "current"        // oadr:current, A
	ItemTemperature    ItemKind = "temperature"    // oadr:temperature, celsius|fahrenheit
	ItemFrequency      ItemKind = "frequency"      // oadr:frequency, Hz
	ItemCustomUnit     ItemKind = "customUnit"     // oadr:customUnit, free description and units
	ItemCurrency       ItemKind = "currency"       // oadr:currency
	ItemCurrencyPerKWh ItemKind = "currencyPerKWh" // oadr:currencyPerKWh
	ItemCurrencyPerKW  ItemKind = "currencyPerKW"  // oadr:currencyPerKW
	ItemCurrencyPerThm ItemKind = "currencyPerThm" // oadr:currencyPerThm; the schema allows only the descriptions currency, currencyPerKW, currencyPerKWh
	ItemTherm          ItemKind = "Therm"          // oadr:Therm, thm
	ItemPulseCount     ItemKind = "pulseCount"     // oadr:pulseCount, count
	// ItemGreenButton is oadr:oadrGBDataDescription, an Atom feed of ESPI data.
	// It is recognised on input (GreenButton history reports) but its content is
	// not modelled, and Marshal refuses it.
	ItemGreenButton ItemKind = "oadrGBDataDescription"
)

// namespace returns the element namespace of the kind.
func (k ItemKind) namespace() (space string, prefix nsID) {
	switch k {
	case ItemVoltage, ItemEnergyApparent, ItemEnergyReactive, ItemEnergyReal,
		ItemPowerApparent, ItemPowerReactive, ItemPowerReal:
		return NamespacePower, pPower
	}
	return NamespaceOADR, pOADR
}

// known reports a kind of the 2.0b schema.
func (k ItemKind) known() bool {
	space, _ := k.namespace()
	return itemKindOf(xml.Name{Space: space, Local: string(k)}) != ""
}

// isPower reports the kinds that carry power:powerAttributes.
func (k ItemKind) isPower() bool {
	return k == ItemPowerApparent || k == ItemPowerReactive || k == ItemPowerReal
}

// itemKindOf maps an element name to an item kind, or "" when it is not one.
func itemKindOf(n xml.Name) ItemKind {
	switch n.Space {
	case NamespacePower:
		switch k := ItemKind(n.Local); k {
		case ItemVoltage, ItemEnergyApparent, ItemEnergyReactive, ItemEnergyReal,
			ItemPowerApparent, ItemPowerReactive, ItemPowerReal:
			return k
		}
	case NamespaceOADR:
		switch k := ItemKind(n.Local); k {
		case ItemCurrent, ItemTemperature, ItemFrequency, ItemCustomUnit, ItemCurrency,
			ItemCurrencyPerKWh, ItemCurrencyPerKW, ItemCurrencyPerThm, ItemTherm,
			ItemPulseCount, ItemGreenButton:
			return k
		}
	}
	return ""
}

// SIScaleCode is scale:siScaleCode, the power of ten a value is expressed in.
type SIScaleCode string

// SI scale codes.
const (
	ScalePico  SIScaleCode = "p"
	ScaleNano  SIScaleCode = "n"
	ScaleMicro SIScaleCode = "micro"
	ScaleMilli SIScaleCode = "m"
	ScaleCenti SIScaleCode = "c"
	ScaleDeci  SIScaleCode = "d"
	ScaleNone  SIScaleCode = "none"
	ScaleKilo  SIScaleCode = "k"
	ScaleMega  SIScaleCode = "M"
	ScaleGiga  SIScaleCode = "G"
	ScaleTera  SIScaleCode = "T"
)

// Exponent returns the power of ten of the code (k → 3, m → -3, none → 0). An
// empty code counts as none; an unknown code returns false.
func (s SIScaleCode) Exponent() (int, bool) {
	switch s {
	case ScalePico:
		return -12, true
	case ScaleNano:
		return -9, true
	case ScaleMicro:
		return -6, true
	case ScaleMilli:
		return -3, true
	case ScaleCenti:
		return -2, true
	case ScaleDeci:
		return -1, true
	case ScaleNone, "":
		return 0, true
	case ScaleKilo:
		return 3, true
	case ScaleMega:
		return 6, true
	case ScaleGiga:
		return 9, true
	case ScaleTera:
		return 12, true
	}
	return 0, false
}

// TemperatureUnit is the itemUnits of an oadr:temperature item.
type TemperatureUnit string

// Temperature units.
const (
	Celsius    TemperatureUnit = "celsius"
	Fahrenheit TemperatureUnit = "fahrenheit"
)

// PowerAttributes is power:powerAttributes, required on power items.
type PowerAttributes struct {
	Hertz   float64 // e.g. 50 or 60
	Voltage float64 // nominal voltage
	AC      bool
}

// ItemBase is a unit description: one member of the emix:itemBase substitution
// group (power:powerReal, oadr:current, oadr:customUnit, …), told apart by Kind.
//
// Values that use it are in Units scaled by Scale: a powerReal item with Units
// "W" and Scale "k" means the numbers are kW. SI converts them.
type ItemBase struct {
	Kind        ItemKind
	Description string      // itemDescription: fixed by the schema for most kinds ("RealPower", "Voltage", …)
	Units       string      // itemUnits: "W", "Wh", "V", "A", "celsius", "%", an ISO 4217 currency, …
	Scale       SIScaleCode // siScaleCode; written as "none" when empty
	// PowerAttributes is required for the power kinds and ignored for the others.
	PowerAttributes *PowerAttributes
	// PulseFactor is the pulseCount kind's factor (its only field besides
	// description and units); ignored for the others.
	PulseFactor float64
}

// Constructors for the item kinds a battery VTN uses. The description and units
// are the ones the schema fixes for each kind.

// NewVoltage returns a power:voltage item in V × scale.
func NewVoltage(scale SIScaleCode) *ItemBase {
	return &ItemBase{Kind: ItemVoltage, Description: "Voltage", Units: "V", Scale: scale}
}

// NewCurrent returns an oadr:current item in A × scale.
func NewCurrent(scale SIScaleCode) *ItemBase {
	return &ItemBase{Kind: ItemCurrent, Description: "Current", Units: "A", Scale: scale}
}

// NewPowerReal returns a power:powerReal item in W × scale, e.g.
// NewPowerReal(ScaleKilo, PowerAttributes{Hertz: 60, Voltage: 240, AC: true}) for kW.
func NewPowerReal(scale SIScaleCode, attrs PowerAttributes) *ItemBase {
	return &ItemBase{Kind: ItemPowerReal, Description: "RealPower", Units: "W", Scale: scale, PowerAttributes: &attrs}
}

// NewEnergyReal returns a power:energyReal item in Wh × scale.
func NewEnergyReal(scale SIScaleCode) *ItemBase {
	return &ItemBase{Kind: ItemEnergyReal, Description: "RealEnergy", Units: "Wh", Scale: scale}
}

// NewTemperature returns an oadr:temperature item.
func NewTemperature(unit TemperatureUnit, scale SIScaleCode) *ItemBase {
	return &ItemBase{Kind: ItemTemperature, Description: "temperature", Units: string(unit), Scale: scale}
}

// NewFrequency returns an oadr:frequency item in Hz × scale.
func NewFrequency(scale SIScaleCode) *ItemBase {
	return &ItemBase{Kind: ItemFrequency, Description: "Frequency", Units: "Hz", Scale: scale}
}

// NewCustomUnit returns an oadr:customUnit item, e.g.
// NewCustomUnit("stateOfCharge", "%", ScaleNone), the usual way to report a
// battery's state of charge (2.0b has no standard item for it).
func NewCustomUnit(description, units string, scale SIScaleCode) *ItemBase {
	return &ItemBase{Kind: ItemCustomUnit, Description: description, Units: units, Scale: scale}
}

// NewCurrencyPerKWh returns an oadr:currencyPerKWh item for a price signal,
// with an ISO 4217 code such as "USD".
func NewCurrencyPerKWh(currency string, scale SIScaleCode) *ItemBase {
	return &ItemBase{Kind: ItemCurrencyPerKWh, Description: "currencyPerKWh", Units: currency, Scale: scale}
}

// SI converts v, expressed in the item's Units × Scale, to the plain unit
// (a powerReal value 2.5 with scale k becomes 2500 W). It fails for an unknown
// scale code. Temperatures are converted by scale only; see Celsius.
func (ib *ItemBase) SI(v float64) (float64, error) {
	if ib == nil {
		return v, nil
	}
	exp, ok := ib.Scale.Exponent()
	if !ok {
		return 0, fmt.Errorf("%w: unknown siScaleCode %q", ErrInvalidValue, ib.Scale)
	}
	if exp == 0 {
		return v, nil
	}
	return v * math.Pow10(exp), nil
}

// Celsius converts a temperature item's value to °C, whatever its unit.
func (ib *ItemBase) Celsius(v float64) (float64, error) {
	if ib == nil || ib.Kind != ItemTemperature {
		return 0, fmt.Errorf("%w: not a temperature item", ErrInvalidValue)
	}
	v, err := ib.SI(v)
	if err != nil {
		return 0, err
	}
	switch TemperatureUnit(ib.Units) {
	case Celsius:
		return v, nil
	case Fahrenheit:
		return (v - 32) * 5 / 9, nil
	}
	return 0, fmt.Errorf("%w: unknown temperature unit %q", ErrInvalidValue, ib.Units)
}

func (ib *ItemBase) encode(e *encoder) {
	if ib.Kind == ItemGreenButton {
		e.fail(string(ib.Kind), "GreenButton data descriptions are not supported for output")
		return
	}
	if !ib.Kind.known() {
		e.fail("itemBase", fmt.Sprintf("unknown item kind %q", ib.Kind))
		return
	}
	_, p := ib.Kind.namespace()
	name := string(ib.Kind)
	e.open(p, name)
	e.text(p, "itemDescription", ib.Description)
	e.text(p, "itemUnits", ib.Units)
	if ib.Kind == ItemPulseCount {
		e.float(pOADR, "pulseFactor", ib.PulseFactor)
	} else {
		scale := ib.Scale
		if scale == "" {
			scale = ScaleNone
		}
		e.text(pScale, "siScaleCode", string(scale))
	}
	if ib.Kind.isPower() {
		a := ib.PowerAttributes
		if a == nil {
			e.fail(name+"/powerAttributes", "required for power items")
			a = &PowerAttributes{}
		}
		e.open(pPower, "powerAttributes")
		e.decimal(pPower, "hertz", a.Hertz)
		e.decimal(pPower, "voltage", a.Voltage)
		e.boolean(pPower, "ac", a.AC)
		e.close(pPower, "powerAttributes")
	}
	e.close(p, name)
}

// item decodes an itemBase element of kind k whose children are in space.
// itemBase decodes the child named n into *p if it is an item base.
func (d *decoder) itemBase(n xml.Name, p **ItemBase) (bool, error) {
	k := itemKindOf(n)
	if k == "" {
		return false, nil
	}
	var err error
	*p, err = d.item(k, n.Space)
	return true, err
}

func (d *decoder) item(k ItemKind, space string) (*ItemBase, error) {
	ib := &ItemBase{Kind: k}
	if k == ItemGreenButton {
		return ib, d.skip()
	}
	err := d.children(func(se start) error {
		switch {
		case se.Name.Space == space && se.Name.Local == "itemDescription":
			return d.str(&ib.Description)
		case se.Name.Space == space && se.Name.Local == "itemUnits":
			return enum(d, &ib.Units)
		case se.Name == scaleN("siScaleCode"):
			return enum(d, &ib.Scale)
		case se.Name == oadrN("pulseFactor"):
			return d.float(&ib.PulseFactor)
		case se.Name == powerN("powerAttributes"):
			ib.PowerAttributes = &PowerAttributes{}
			return ib.PowerAttributes.decode(d)
		}
		return d.skip()
	})
	return ib, err
}

func (a *PowerAttributes) decode(d *decoder) error { return decodeFields(d, a, powerAttributesFields) }

var powerAttributesFields = fields[PowerAttributes]{
	{powerN("hertz"), optional, func(d *decoder, a *PowerAttributes) error { return d.float(&a.Hertz) }},
	{powerN("voltage"), optional, func(d *decoder, a *PowerAttributes) error { return d.float(&a.Voltage) }},
	{powerN("ac"), optional, func(d *decoder, a *PowerAttributes) error { return d.boolean(&a.AC) }},
}
