package ambertest

// The fake's wire types are its own, written from the spec
// (amber-public-api-2.0.0.openapi.yml) rather than shared with package
// amber, so that the client's decoding is tested against an independent
// encoding of the format.

type wireSite struct {
	ID             string        `json:"id"`
	NMI            string        `json:"nmi"`
	Channels       []wireChannel `json:"channels"`
	Network        string        `json:"network"`
	Status         string        `json:"status"`
	ActiveFrom     string        `json:"activeFrom,omitempty"`
	ClosedOn       string        `json:"closedOn,omitempty"`
	IntervalLength int           `json:"intervalLength"`
}

type wireChannel struct {
	Identifier string `json:"identifier"`
	Type       string `json:"type"`
	Tariff     string `json:"tariff"`
}

type wireTariff struct {
	Period string `json:"period,omitempty"`
	Season string `json:"season,omitempty"`
}

type wireRange struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

type wireAdvanced struct {
	Low       float64 `json:"low"`
	Predicted float64 `json:"predicted"`
	High      float64 `json:"high"`
}

// wireInterval is an ActualInterval, CurrentInterval or ForecastInterval;
// the kind-specific fields are left out where they do not apply, as the
// real API does. tariffInformation is null when the site has no time-of-use
// tariff.
type wireInterval struct {
	Type              string        `json:"type"`
	Date              string        `json:"date"`
	Duration          int           `json:"duration"`
	StartTime         string        `json:"startTime"`
	EndTime           string        `json:"endTime"`
	NEMTime           string        `json:"nemTime"`
	PerKWh            *float64      `json:"perKwh"`
	Renewables        float64       `json:"renewables"`
	SpotPerKWh        float64       `json:"spotPerKwh"`
	ChannelType       string        `json:"channelType"`
	SpikeStatus       string        `json:"spikeStatus"`
	TariffInformation *wireTariff   `json:"tariffInformation"`
	Descriptor        string        `json:"descriptor"`
	Estimate          *bool         `json:"estimate,omitempty"`
	Range             *wireRange    `json:"range,omitempty"`
	AdvancedPrice     *wireAdvanced `json:"advancedPrice,omitempty"`
}

type wireUsage struct {
	Type              string      `json:"type"`
	Duration          int         `json:"duration"`
	Date              string      `json:"date"`
	StartTime         string      `json:"startTime"`
	EndTime           string      `json:"endTime"`
	NEMTime           string      `json:"nemTime"`
	Quality           string      `json:"quality"`
	KWh               float64     `json:"kwh"`
	PerKWh            *float64    `json:"perKwh"`
	SpotPerKWh        float64     `json:"spotPerKwh"`
	ChannelType       string      `json:"channelType"`
	ChannelIdentifier string      `json:"channelIdentifier"`
	Cost              float64     `json:"cost"`
	Renewables        float64     `json:"renewables"`
	SpikeStatus       string      `json:"spikeStatus"`
	TariffInformation *wireTariff `json:"tariffInformation"`
	Descriptor        string      `json:"descriptor"`
}

type wireRenewable struct {
	Type       string  `json:"type"`
	Duration   int     `json:"duration"`
	Date       string  `json:"date"`
	NEMTime    string  `json:"nemTime"`
	StartTime  string  `json:"startTime"`
	EndTime    string  `json:"endTime"`
	Renewables float64 `json:"renewables"`
	Descriptor string  `json:"descriptor"`
}

type wireError struct {
	Message string `json:"message"`
}
