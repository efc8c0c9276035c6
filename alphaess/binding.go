package alphaess

import (
	"context"
	"errors"
	"strings"

	"github.com/gridwire/gridwire/energy"
)

// Binding a system gives the developer account access to it. It can be done
// in the portal, or through the API when the portal fails (a common
// complaint): RequestVerificationCode emails a code to the system's owner,
// and Bind takes that code.

// RequestVerificationCode asks AlphaESS to email a verification code to the
// owner of the handle's system (getVerificationCode). checkCode is the
// CheckCode printed on the system's label below the serial number.
//
// It is never repeated after a 6053, since every call sends an email (the
// transport may still retry it after a 502, when the server did not act).
func (c *Client) RequestVerificationCode(ctx context.Context, checkCode string) error {
	q, err := c.snQuery()
	if err != nil {
		return err
	}
	if checkCode = strings.TrimSpace(checkCode); checkCode == "" {
		return energy.Invalid("checkCode", "is empty: it is printed on the system's label")
	}
	q.Set("checkCode", checkCode)
	_, err = c.call(ctx, epVerificationCode, q, nil)
	return err
}

// Bind binds the handle's system to the developer account (bindSn) with the
// code RequestVerificationCode had emailed (not the CheckCode). A system
// already bound (6003) is success.
func (c *Client) Bind(ctx context.Context, code string) error {
	if err := c.needSN(); err != nil {
		return err
	}
	if code = strings.TrimSpace(code); code == "" {
		return energy.Invalid("code", "is empty: use the code emailed after RequestVerificationCode")
	}
	body := struct {
		SysSn string `json:"sysSn"`
		Code  string `json:"code"`
	}{c.sn, code}
	_, err := c.call(ctx, epBind, nil, body)
	if ae := (*APIError)(nil); errors.As(err, &ae) && ae.Code == CodeSNAlreadyBound {
		return nil
	}
	return err
}

// Unbind removes the handle's system from the developer account (unBindSn).
func (c *Client) Unbind(ctx context.Context) error {
	if err := c.needSN(); err != nil {
		return err
	}
	body := struct {
		SysSn string `json:"sysSn"`
	}{c.sn}
	_, err := c.call(ctx, epUnbind, nil, body)
	return err
}
