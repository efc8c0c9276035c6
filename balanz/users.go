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
