package balanz

import (
	"context"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

type loginRequest struct {
	Token string `json:"token"`
}

// Login authenticates the connection with token (by balanz's convention
// the user id followed by the password; balanz compares its SHA-256 with its
// users' hashes) and returns the user's type. A wrong token is an *Error
// with StatusInvalidLogin, wrapping energy.ErrUnauthorized; the connection
// stays open for another try. With reconnection on, the client logs in
// again with the last token that worked.
func (c *Client) Login(ctx context.Context, token string) (UserType, error) {
	if token == "" {
		return "", energy.Invalid("token", "empty")
	}
	var out struct {
		UserType UserType `json:"user_type"`
	}
	if err := c.Call(ctx, "Login", loginRequest{Token: token}, &out); err != nil {
		return "", err
	}
	c.mu.Lock()
	c.token = rest.NewSecret(token)
	c.mu.Unlock()
	return out.UserType, nil
}
