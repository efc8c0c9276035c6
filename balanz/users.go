package balanz

import (
	"context"

	"github.com/gridwire/gridwire/energy"
)

// Users returns balanz's API users (GetUsers).
func (c *Client) Users(ctx context.Context) ([]User, error) {
	return callList[User](ctx, c, "GetUsers", nil)
}

type userRequest struct {
	UserID      string   `json:"user_id"`
	UserType    UserType `json:"user_type,omitempty"`
	Description string   `json:"description,omitempty"`
	Password    string   `json:"password"`
}

// CreateUser adds a user who logs in with the token u.UserID + password.
func (c *Client) CreateUser(ctx context.Context, u User, password string) error {
	if u.UserID == "" || password == "" {
		return energy.Invalid("UserID/password", "both are required")
	}
	return c.callAccepted(ctx, "CreateUser", userRequest{u.UserID, u.UserType, u.Description, password})
}

// UpdateUser changes a user's type, description and password.
func (c *Client) UpdateUser(ctx context.Context, u User, password string) error {
	if u.UserID == "" || password == "" {
		return energy.Invalid("UserID/password", "both are required")
	}
	return c.callAccepted(ctx, "UpdateUser", userRequest{u.UserID, u.UserType, u.Description, password})
}

// DeleteUser removes a user.
func (c *Client) DeleteUser(ctx context.Context, userID string) error {
	if userID == "" {
		return energy.Invalid("userID", "empty")
	}
	return c.callAccepted(ctx, "DeleteUser", map[string]string{"user_id": userID})
}

// UserType is what a balanz user may do; each type allows a set of
// commands, and balanz answers others with StatusNotAuthorized.
type UserType string

// The user types, from least to most allowed.
const (
	// UserStatus may call GetGroups and GetChargers.
	UserStatus UserType = "Status"
	// UserAnalysis may also call GetTags, DrawAll and GetSessions.
	UserAnalysis UserType = "Analysis"
	// UserSessionPriority is UserStatus plus SetChargePriority.
	UserSessionPriority UserType = "SessionPriority"
	// UserTags is UserAnalysis plus SetChargePriority and the tag commands.
	UserTags UserType = "Tags"
	// UserAdmin may call everything.
	UserAdmin UserType = "Admin"
)

// User is a balanz API user.
type User struct {
	UserID      string   `json:"user_id"`
	UserType    UserType `json:"user_type"`
	Description string   `json:"description"`
}
