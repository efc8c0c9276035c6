package balanz

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/coder/websocket"

	"github.com/gridwire/gridwire/internal/ocppj"
)

// redial connects again with capped, jittered back-off and logs in with the
// last token that worked. It returns nil when the client is closed.
func (c *Client) redial() *conn {
	backoff := c.o.minBackoff
	for {
		wait := time.Duration(float64(backoff) * (0.5 + rand.Float64()))
		if c.o.clock.Sleep(c.ctx, wait) != nil {
			return nil
		}
		backoff = min(2*backoff, c.o.maxBackoff)
		cn, err := dial(c.ctx, c.url.Reveal(), c.shown, &c.o)
		if err == nil {
			err = c.relogin(cn)
			var be *Error
			if errors.As(err, &be) {
				// balanz refused the token: redialling will not change
				// that, and calls will say NotAuthorized, which is clearer
				// than waiting.
				c.o.logger.Error("balanz: login refused after reconnecting", "url", c.shown, "status", be.Status)
				err = nil
			} else if err != nil {
				cn.ws.CloseNow()
			}
		}
		if err != nil {
			if c.ctx.Err() != nil {
				return nil
			}
			c.o.logger.Warn("balanz: reconnection failed", "url", c.shown, "err", err, "next_in", backoff)
			continue
		}
		c.mu.Lock()
		if c.ctx.Err() != nil { // closed meanwhile
			c.mu.Unlock()
			cn.ws.CloseNow()
			return nil
		}
		c.cur, c.lastErr = cn, nil
		close(c.ready)
		c.mu.Unlock()
		c.o.logger.Info("balanz: reconnected", "url", c.shown)
		return cn
	}
}

// relogin logs in on a fresh connection before anyone else may use it:
// one frame out, one in, on this goroutine.
func (c *Client) relogin(cn *conn) error {
	c.mu.Lock()
	token := c.token
	c.mu.Unlock()
	if token.IsZero() {
		return nil
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.o.timeout+time.Second)
	defer cancel()
	frame, err := ocppj.AppendCall(nil, "login", "Login", loginRequest{Token: token.Reveal()})
	if err != nil {
		return err
	}
	if err := cn.ws.Write(ctx, websocket.MessageText, frame); err != nil {
		return err
	}
	_, data, err := cn.ws.Read(ctx)
	if err != nil {
		return err
	}
	f, err := ocppj.Parse(data)
	if err != nil {
		return err
	}
	if f.Type != ocppj.CallResult {
		return &Error{Command: "Login", Status: Status((&ocppj.Error{Payload: f.Payload, Code: f.ErrorCode}).Status()), Payload: f.Payload}
	}
	return nil
}
