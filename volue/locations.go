package volue

import (
	"context"
	"net/http"
)

// Location is a user's site: where meters and resources are.
type Location struct {
	// ID is the partner's own id for the location. Required.
	ID string `json:"locationId"`
	// Type is the kind of site; "" sends LocationResidential.
	Type LocationType `json:"locationType"`
	// MeterPointIDs are the metering points at the location.
	MeterPointIDs []string `json:"meterPointIds,omitempty"`
	// Coordinates is the location's position, or nil.
	Coordinates *Coordinates `json:"coordinates,omitempty"`
}

func (l Location) validate() error {
	if err := required("Location.ID", l.ID); err != nil {
		return err
	}
	for _, id := range l.MeterPointIDs {
		if err := required("Location.MeterPointIDs", id); err != nil {
			return err
		}
	}
	if l.Coordinates != nil {
		return l.Coordinates.validate("Location.Coordinates")
	}
	return nil
}

// CreateLocation registers a location of the user (POST
// /users/{userId}/locations).
func (c *Client) CreateLocation(ctx context.Context, userID string, l Location) error {
	if err := required("userID", userID); err != nil {
		return err
	}
	if err := l.validate(); err != nil {
		return err
	}
	if l.Type == "" {
		l.Type = LocationResidential
	}
	return c.call(ctx, http.MethodPost, "/users/"+seg(userID)+"/locations", nil, l, nil)
}

// LocationUpdate changes some of a location's fields; nil fields are left
// as they are.
type LocationUpdate struct {
	// Type, when set, replaces the location type.
	Type *LocationType `json:"locationType,omitempty"`
	// MeterPointIDs, when not nil, replaces the metering points; an empty
	// non-nil slice removes them all.
	MeterPointIDs []string `json:"meterPointIds,omitzero"`
	// Coordinates, when set, replaces the position.
	Coordinates *Coordinates `json:"coordinates,omitempty"`
}

// UpdateLocation changes a location (PATCH
// /users/{userId}/locations/{locationId}).
func (c *Client) UpdateLocation(ctx context.Context, userID, locationID string, u LocationUpdate) error {
	if err := required("userID", userID); err != nil {
		return err
	}
	if err := required("locationID", locationID); err != nil {
		return err
	}
	for _, id := range u.MeterPointIDs {
		if err := required("LocationUpdate.MeterPointIDs", id); err != nil {
			return err
		}
	}
	if u.Coordinates != nil {
		if err := u.Coordinates.validate("LocationUpdate.Coordinates"); err != nil {
			return err
		}
	}
	return c.call(ctx, http.MethodPatch, "/users/"+seg(userID)+"/locations/"+seg(locationID), nil, u, nil)
}
