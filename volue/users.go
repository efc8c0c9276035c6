package volue

import (
	"context"
	"net/http"
)

// User is a customer of the partner; meters, locations and resources belong
// to a user.
type User struct {
	// ID is the id the API gave the user.
	ID string `json:"userId"`
}

// CreateUser registers a new user (POST /users) and returns it with its id.
func (c *Client) CreateUser(ctx context.Context) (*User, error) {
	var u User
	if err := c.call(ctx, http.MethodPost, "/users", nil, struct{}{}, &u); err != nil {
		return nil, err
	}
	if u.ID == "" {
		return nil, &DecodeError{Method: http.MethodPost, Endpoint: "/users", Err: errNoID("userId")}
	}
	return &u, nil
}

// ListUsers returns the partner's users (GET /users).
func (c *Client) ListUsers(ctx context.Context) ([]User, error) {
	var w struct {
		Users []User `json:"users"`
	}
	if err := c.call(ctx, http.MethodGet, "/users", nil, nil, &w); err != nil {
		return nil, err
	}
	return w.Users, nil
}

// Vehicle is an electric vehicle a user owns.
type Vehicle struct {
	// ID is the partner's own id for the vehicle. Required.
	ID string `json:"vehicleId"`
	// Metadata identifies the vehicle (sent with resourceType "Vehicle").
	Metadata VehicleMetadata `json:"metadata"`
}

// AddVehicle registers a vehicle of the user (POST
// /users/{userId}/vehicles).
func (c *Client) AddVehicle(ctx context.Context, userID string, v Vehicle) error {
	if err := required("userID", userID); err != nil {
		return err
	}
	if err := required("Vehicle.ID", v.ID); err != nil {
		return err
	}
	if err := v.Metadata.validate("Vehicle.Metadata"); err != nil {
		return err
	}
	body := struct {
		ID       string           `json:"vehicleId"`
		Metadata *VehicleMetadata `json:"metadata"`
	}{v.ID, &v.Metadata}
	return c.call(ctx, http.MethodPost, "/users/"+seg(userID)+"/vehicles", nil, body, nil)
}

// LocationType says what kind of site a meter or location is.
type LocationType string

// The location types the API documents.
const (
	LocationResidential LocationType = "Residential"
)

// Address is a postal address.
type Address struct {
	// Street, City and ZipCode are the address lines.
	Street  string `json:"street,omitempty"`
	City    string `json:"city,omitempty"`
	ZipCode string `json:"zipCode,omitempty"`
}

// Meter is a user's power meter: what grid operators need to pay incentives
// to the right customer.
type Meter struct {
	// Address is where the meter is.
	Address Address `json:"address"`
	// Location is the meter's position.
	Location Coordinates `json:"location"`
	// MeterPointID is the metering point id (such as a Norwegian
	// 18-digit id). Required.
	MeterPointID string `json:"meterPointId"`
	// MeterNumber is the meter's serial number.
	MeterNumber string `json:"meterNumber,omitempty"`
	// LocationType is the kind of site; "" sends LocationResidential.
	LocationType LocationType `json:"locationType"`
}

// AddMeter registers a meter of the user (POST /users/{userId}/meters) and
// returns the id the API gave it.
func (c *Client) AddMeter(ctx context.Context, userID string, m Meter) (string, error) {
	if err := required("userID", userID); err != nil {
		return "", err
	}
	if err := required("Meter.MeterPointID", m.MeterPointID); err != nil {
		return "", err
	}
	if err := m.Location.validate("Meter.Location"); err != nil {
		return "", err
	}
	if m.LocationType == "" {
		m.LocationType = LocationResidential
	}
	path := "/users/" + seg(userID) + "/meters"
	var w struct {
		ID string `json:"meterId"`
	}
	if err := c.call(ctx, http.MethodPost, path, nil, m, &w); err != nil {
		return "", err
	}
	if w.ID == "" {
		return "", &DecodeError{Method: http.MethodPost, Endpoint: path, Err: errNoID("meterId")}
	}
	return w.ID, nil
}

// errNoID says which id an answer lacked.
type errNoID string

// Error implements error.
func (e errNoID) Error() string { return "the answer has no " + string(e) }
