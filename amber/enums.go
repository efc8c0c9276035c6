package amber

// Amber's enumerations are string types. A value the API adds after this
// package was written still decodes (it is kept as is, never an error); each
// type's Known method tells the values this package knows from the ones it
// does not, so callers can decide what to do with a new one.

// ChannelType is the kind of a meter channel.
type ChannelType string

// The channel types.
const (
	// ChannelGeneral is continuous supply: the channel lights and
	// appliances are on.
	ChannelGeneral ChannelType = "general"
	// ChannelControlledLoad is supply switched on by the network for part
	// of the day, such as for a hot-water system.
	ChannelControlledLoad ChannelType = "controlledLoad"
	// ChannelFeedIn is energy sent back to the grid (solar, batteries).
	ChannelFeedIn ChannelType = "feedIn"
)

// Known reports whether t is one of the channel types defined above.
func (t ChannelType) Known() bool {
	return t == ChannelGeneral || t == ChannelControlledLoad || t == ChannelFeedIn
}

// order is Amber's return order: General > Controlled Load > Feed In, then
// unknown types.
func (t ChannelType) order() int {
	switch t {
	case ChannelGeneral:
		return 0
	case ChannelControlledLoad:
		return 1
	case ChannelFeedIn:
		return 2
	}
	return 3
}

// SiteStatus is the state of a site's supply.
type SiteStatus string

// The site statuses.
const (
	SitePending SiteStatus = "pending" // being transferred to Amber
	SiteActive  SiteStatus = "active"  // supplied by Amber
	SiteClosed  SiteStatus = "closed"  // no longer supplied
)

// Known reports whether s is one of the statuses defined above.
func (s SiteStatus) Known() bool { return s == SitePending || s == SiteActive || s == SiteClosed }

// SpikeStatus says whether an interval is, or may become, a price spike.
type SpikeStatus string

// The spike statuses.
const (
	SpikeNone      SpikeStatus = "none"
	SpikePotential SpikeStatus = "potential"
	SpikeSpike     SpikeStatus = "spike"
)

// Known reports whether s is one of the statuses defined above.
func (s SpikeStatus) Known() bool { return s == SpikeNone || s == SpikePotential || s == SpikeSpike }

// PriceDescriptor is Amber's band for a price, relative to the reference
// (VMO/DMO) prices.
type PriceDescriptor string

// The price descriptors, cheapest first.
const (
	// DescriptorNegative is no longer sent; Amber replaced it with
	// DescriptorExtremelyLow. It is kept so old data decodes to a known value.
	DescriptorNegative     PriceDescriptor = "negative"
	DescriptorExtremelyLow PriceDescriptor = "extremelyLow"
	DescriptorVeryLow      PriceDescriptor = "veryLow"
	DescriptorLow          PriceDescriptor = "low"
	DescriptorNeutral      PriceDescriptor = "neutral"
	DescriptorHigh         PriceDescriptor = "high"
	DescriptorSpike        PriceDescriptor = "spike"
)

// Known reports whether d is one of the descriptors defined above.
func (d PriceDescriptor) Known() bool {
	switch d {
	case DescriptorNegative, DescriptorExtremelyLow, DescriptorVeryLow, DescriptorLow,
		DescriptorNeutral, DescriptorHigh, DescriptorSpike:
		return true
	}
	return false
}

// TariffPeriod is the time-of-use period an interval falls in.
type TariffPeriod string

// The time-of-use periods.
const (
	PeriodOffPeak     TariffPeriod = "offPeak"
	PeriodShoulder    TariffPeriod = "shoulder"
	PeriodSolarSponge TariffPeriod = "solarSponge"
	PeriodPeak        TariffPeriod = "peak"
)

// Known reports whether p is one of the periods defined above.
func (p TariffPeriod) Known() bool {
	return p == PeriodOffPeak || p == PeriodShoulder || p == PeriodSolarSponge || p == PeriodPeak
}

// TariffSeason is the time-of-use season an interval falls in.
type TariffSeason string

// The time-of-use seasons.
const (
	SeasonDefault        TariffSeason = "default"
	SeasonSummer         TariffSeason = "summer"
	SeasonAutumn         TariffSeason = "autumn"
	SeasonWinter         TariffSeason = "winter"
	SeasonSpring         TariffSeason = "spring"
	SeasonNonSummer      TariffSeason = "nonSummer"
	SeasonHoliday        TariffSeason = "holiday"
	SeasonWeekend        TariffSeason = "weekend"
	SeasonWeekendHoliday TariffSeason = "weekendHoliday"
	SeasonWeekday        TariffSeason = "weekday"
)

// Known reports whether s is one of the seasons defined above.
func (s TariffSeason) Known() bool {
	switch s {
	case SeasonDefault, SeasonSummer, SeasonAutumn, SeasonWinter, SeasonSpring, SeasonNonSummer,
		SeasonHoliday, SeasonWeekend, SeasonWeekendHoliday, SeasonWeekday:
		return true
	}
	return false
}

// UsageQuality says whether metered usage is billable or estimated.
type UsageQuality string

// The usage qualities.
const (
	// QualityEstimated: the metering company could not read the meter and
	// estimated the usage; it may change.
	QualityEstimated UsageQuality = "estimated"
	// QualityBillable: the usage that will appear on the bill.
	QualityBillable UsageQuality = "billable"
)

// Known reports whether q is one of the qualities defined above.
func (q UsageQuality) Known() bool { return q == QualityEstimated || q == QualityBillable }

// RenewableDescriptor is Amber's band for the share of renewables in the
// grid.
type RenewableDescriptor string

// The renewable descriptors, greenest first.
const (
	RenewablesBest     RenewableDescriptor = "best"
	RenewablesGreat    RenewableDescriptor = "great"
	RenewablesOK       RenewableDescriptor = "ok"
	RenewablesNotGreat RenewableDescriptor = "notGreat"
	RenewablesWorst    RenewableDescriptor = "worst"
)

// Known reports whether d is one of the descriptors defined above.
func (d RenewableDescriptor) Known() bool {
	switch d {
	case RenewablesBest, RenewablesGreat, RenewablesOK, RenewablesNotGreat, RenewablesWorst:
		return true
	}
	return false
}

// State is an Australian state whose grid the renewables endpoint reports on.
type State string

// The states the API serves (its spec: "Valid states: nsw, sa, qld, vic").
const (
	NSW State = "nsw"
	SA  State = "sa"
	QLD State = "qld"
	VIC State = "vic"
)

// Known reports whether s is one of the states the API serves.
func (s State) Known() bool { return s == NSW || s == SA || s == QLD || s == VIC }

// Resolution is the length, in minutes, of the intervals asked for. Its zero
// value leaves the choice to the API: the site's billing interval for
// prices, 30 minutes for renewables.
type Resolution int

// The resolutions the API accepts.
const (
	ResolutionDefault Resolution = 0
	Resolution5       Resolution = 5
	Resolution30      Resolution = 30
)

// valid reports whether r may be sent.
func (r Resolution) valid() bool {
	return r == ResolutionDefault || r == Resolution5 || r == Resolution30
}
