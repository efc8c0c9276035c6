package volue

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gridwire/gridwire/energy"
)

// ResourceType names the kind of a resource, the metadata's resourceType.
type ResourceType string

// The resource types with typed metadata. Others decode as *UnknownMetadata.
const (
	ResourceVehicle      ResourceType = "Vehicle"
	ResourceHotWaterTank ResourceType = "HotWaterTank"
)

// Metadata describes a resource; its concrete type follows the resource
// type: *VehicleMetadata, *HotWaterTankMetadata, or *UnknownMetadata for a
// type this package does not know (kept whole, so it can be sent back).
type Metadata interface {
	// ResourceType returns the type the metadata is for.
	ResourceType() ResourceType
	validate(field string) error
}

// VehicleMetadata identifies an electric vehicle.
type VehicleMetadata struct {
	// Brand and Model are the make and model, such as "Tesla", "Model 3".
	Brand string `json:"brand,omitempty"`
	Model string `json:"model,omitempty"`
	// Year is the model year, or 0.
	Year int `json:"year,omitempty"`
	// VIN is the vehicle identification number, or "".
	VIN string `json:"vin,omitempty"`
}

// ResourceType returns ResourceVehicle.
func (*VehicleMetadata) ResourceType() ResourceType { return ResourceVehicle }

func (m *VehicleMetadata) validate(field string) error {
	if m == nil {
		return energy.Invalid(field, "nil")
	}
	if m.Year < 0 {
		return energy.Invalid(field+".Year", "%d is negative", m.Year)
	}
	return nil
}

// MarshalJSON adds "resourceType": "Vehicle".
func (m *VehicleMetadata) MarshalJSON() ([]byte, error) {
	type plain VehicleMetadata
	return withType("resourceType", string(ResourceVehicle), (*plain)(m))
}

// HotWaterTankMetadata describes a hot-water tank.
type HotWaterTankMetadata struct {
	// Brand and Model are the make and model, such as "Oso", "SuperTank".
	Brand string `json:"brand,omitempty"`
	Model string `json:"model,omitempty"`
	// Capacity is the tank's volume in litres (the API's "capacity"; a
	// 500-litre tank is a common size).
	Capacity float64 `json:"capacity,omitempty"`
	// HeatingElements are the powers of the tank's heating elements.
	HeatingElements []energy.Watts `json:"heatingElements,omitempty"`
}

// ResourceType returns ResourceHotWaterTank.
func (*HotWaterTankMetadata) ResourceType() ResourceType { return ResourceHotWaterTank }

func (m *HotWaterTankMetadata) validate(field string) error {
	if m == nil {
		return energy.Invalid(field, "nil")
	}
	if err := nonNegative(field+".Capacity", m.Capacity); err != nil {
		return err
	}
	for i, w := range m.HeatingElements {
		if err := nonNegative(fmt.Sprintf("%s.HeatingElements[%d]", field, i), w); err != nil {
			return err
		}
	}
	return nil
}

// MarshalJSON adds "resourceType": "HotWaterTank".
func (m *HotWaterTankMetadata) MarshalJSON() ([]byte, error) {
	type plain HotWaterTankMetadata
	return withType("resourceType", string(ResourceHotWaterTank), (*plain)(m))
}

// UnknownMetadata is metadata of a resource type this package has no type
// for. Raw is the whole metadata object, resourceType included, and is sent
// back unchanged.
type UnknownMetadata struct {
	// Type is the metadata's resourceType.
	Type ResourceType
	// Raw is the metadata object as received.
	Raw json.RawMessage
}

// ResourceType returns Type.
func (m *UnknownMetadata) ResourceType() ResourceType { return m.Type }

func (m *UnknownMetadata) validate(field string) error {
	if m == nil {
		return energy.Invalid(field, "nil")
	}
	if !json.Valid(m.Raw) || !bytes.HasPrefix(bytes.TrimSpace(m.Raw), []byte("{")) {
		return energy.Invalid(field+".Raw", "not a JSON object")
	}
	return nil
}

// MarshalJSON returns Raw.
func (m *UnknownMetadata) MarshalJSON() ([]byte, error) { return m.Raw, nil }

// decodeMetadata chooses the metadata's Go type by its resourceType.
func decodeMetadata(raw json.RawMessage) (Metadata, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var head struct {
		Type ResourceType `json:"resourceType"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, err
	}
	var m Metadata
	switch head.Type {
	case ResourceVehicle:
		m = new(VehicleMetadata)
	case ResourceHotWaterTank:
		m = new(HotWaterTankMetadata)
	default:
		return &UnknownMetadata{Type: head.Type, Raw: append(json.RawMessage(nil), raw...)}, nil
	}
	return m, json.Unmarshal(raw, m)
}

// Resource is a flexible resource a user owns, such as a hot-water tank.
type Resource struct {
	// ID is the partner's own id for the resource. Required.
	ID string `json:"resourceId"`
	// Metadata describes it. Required.
	Metadata Metadata `json:"metadata"`
}

// UnmarshalJSON decodes Metadata by its resourceType.
func (r *Resource) UnmarshalJSON(b []byte) error {
	var w struct {
		ID       string          `json:"resourceId"`
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	m, err := decodeMetadata(w.Metadata)
	if err != nil {
		return fmt.Errorf("resource %q metadata: %w", w.ID, err)
	}
	r.ID, r.Metadata = w.ID, m
	return nil
}

func (r Resource) validate() error {
	if err := required("Resource.ID", r.ID); err != nil {
		return err
	}
	if r.Metadata == nil {
		return energy.Invalid("Resource.Metadata", "required")
	}
	return r.Metadata.validate("Resource.Metadata")
}

// AddResource registers a resource of the user (POST
// /users/{userId}/resources).
func (c *Client) AddResource(ctx context.Context, userID string, r Resource) error {
	if err := required("userID", userID); err != nil {
		return err
	}
	if err := r.validate(); err != nil {
		return err
	}
	return c.call(ctx, http.MethodPost, "/users/"+seg(userID)+"/resources", nil, r, nil)
}

// AddLocationResource registers a resource at one of the user's locations
// (POST /users/{userId}/locations/{locationId}/resources).
func (c *Client) AddLocationResource(ctx context.Context, userID, locationID string, r Resource) error {
	if err := required("userID", userID); err != nil {
		return err
	}
	if err := required("locationID", locationID); err != nil {
		return err
	}
	if err := r.validate(); err != nil {
		return err
	}
	return c.call(ctx, http.MethodPost, "/users/"+seg(userID)+"/locations/"+seg(locationID)+"/resources", nil, r, nil)
}

// ResourceInfo is what the API knows of a registered resource.
type ResourceInfo struct {
	// ID is the resource's id.
	ID string `json:"resourceId"`
	// Type is its type.
	Type ResourceType `json:"resourceType"`
	// UserID, LocationID and MeterPointID place it; "" when not set.
	UserID       string `json:"userId"`
	LocationID   string `json:"locationId"`
	MeterPointID string `json:"meterPointId"`
	// Metadata is the registered metadata when the API returns it, or nil.
	Metadata Metadata `json:"-"`
}

// UnmarshalJSON decodes Metadata by its resourceType, and takes Type from
// it when the answer has no top-level resourceType.
func (r *ResourceInfo) UnmarshalJSON(b []byte) error {
	type plain ResourceInfo
	var w struct {
		plain
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	m, err := decodeMetadata(w.Metadata)
	if err != nil {
		return fmt.Errorf("resource %q metadata: %w", w.ID, err)
	}
	*r = ResourceInfo(w.plain)
	r.Metadata = m
	if r.Type == "" && m != nil {
		r.Type = m.ResourceType()
	}
	return nil
}

// GetResource returns a resource by id (GET /resources/{resourceId}). An
// unknown id is an *APIError with status 404 (IsNotFound).
func (c *Client) GetResource(ctx context.Context, resourceID string) (*ResourceInfo, error) {
	if err := required("resourceID", resourceID); err != nil {
		return nil, err
	}
	var r ResourceInfo
	if err := c.call(ctx, http.MethodGet, "/resources/"+seg(resourceID), nil, nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// DeleteResource removes a resource (DELETE /resources/{resourceId}). An
// unknown id is an *APIError with status 404 (IsNotFound).
func (c *Client) DeleteResource(ctx context.Context, resourceID string) error {
	if err := required("resourceID", resourceID); err != nil {
		return err
	}
	return c.call(ctx, http.MethodDelete, "/resources/"+seg(resourceID), nil, nil, nil)
}

// withType encodes v, a JSON object, with key: value first.
func withType(key, value string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	head, _ := json.Marshal(map[string]string{key: value})
	if string(b) == "{}" {
		return head, nil
	}
	return append(head[:len(head)-1:len(head)-1], append([]byte(","), b[1:]...)...), nil
}
