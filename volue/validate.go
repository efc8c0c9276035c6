package volue

import (
	"math"

	"github.com/gridwire/gridwire/energy"
)

// Coordinates is a position in decimal degrees (WGS 84).
type Coordinates struct {
	// Latitude is from -90 (south) to 90 (north).
	Latitude float64 `json:"latitude"`
	// Longitude is from -180 (west) to 180 (east).
	Longitude float64 `json:"longitude"`
}

// validate names field (such as "Meter.Location") when c is out of range.
func (c Coordinates) validate(field string) error {
	switch {
	case !finite(c.Latitude) || c.Latitude < -90 || c.Latitude > 90:
		return energy.Invalid(field+".Latitude", "%v is not from -90 to 90", c.Latitude)
	case !finite(c.Longitude) || c.Longitude < -180 || c.Longitude > 180:
		return energy.Invalid(field+".Longitude", "%v is not from -180 to 180", c.Longitude)
	}
	return nil
}

func required(field, v string) error {
	if v == "" {
		return energy.Invalid(field, "required")
	}
	return nil
}

func nonNegative[T ~float64](field string, v T) error {
	if !finite(float64(v)) || v < 0 {
		return energy.Invalid(field, "%v is negative or not a number", float64(v))
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
