package balanz

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/ocppj"
	"github.com/gridwire/gridwire/internal/rest"
)

// orphanID is the id balanz answers with when it cannot attribute an error
// to a request (an exception while handling it, a frame it could not read).
const orphanID = "007"

// Client is a connection to a balanz API. It is safe for concurrent use by
// many goroutines: calls share the one connection, and each answer reaches
// its own caller. Close it when done.
type Client struct {
	url   rest.Secret // may hold a password (ws://user:pass@host)
	shown string      // url without it, for logs and errors
	o     options

	ctx    context.Context // the client's lifetime; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	cur     *conn         // nil while reconnecting or after a drop
	ready   chan struct{} // closed when cur is set again
	lastErr error         // why cur is nil
	token   rest.Secret   // the last token that logged in, for reconnection
}

// conn is one WebSocket connection and the calls in flight on it.
type conn struct {
	ws      *websocket.Conn
	pending ocppj.Pending
	send    chan struct{} // a one-slot lock that a waiting caller can give up on
	buf     []byte        // the frame being written, under send
}

// Dial connects to the balanz API at rawURL (such as
// "ws://balanz.local:9999/api"), offering the ocpp1.6 subprotocol that
// balanz requires, and starts the goroutine that reads answers. Call Login
// next, and Close when done.
func Dial(ctx context.Context, rawURL string, opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if o.err != nil {
		return nil, o.err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// not echoed: a URL that does not parse cannot be redacted
		return nil, energy.Invalid("url", "not a ws:// or wss:// URL: it does not parse")
	}
	shown := u.Redacted()
	if (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return nil, energy.Invalid("url", "%q is not a ws:// or wss:// URL", shown)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("balanz: dial: %w", err)
	}
	cn, err := dial(ctx, rawURL, shown, &o)
	if err != nil {
		return nil, err
	}
	c := &Client{url: rest.NewSecret(rawURL), shown: shown, o: o, cur: cn, ready: make(chan struct{})}
	close(c.ready)
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.wg.Add(1)
	go c.run(cn)
	return c, nil
}

// dial connects to rawURL; errors name it as shown, without its password.
func dial(ctx context.Context, rawURL, shown string, o *options) (*conn, error) {
	ws, resp, err := websocket.Dial(ctx, rawURL, &websocket.DialOptions{
		HTTPClient:   o.httpClient,
		HTTPHeader:   http.Header{"User-Agent": {o.userAgent}},
		Subprotocols: []string{Subprotocol},
	})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusBadRequest {
			err = fmt.Errorf("%w (HTTP 400: balanz refuses a handshake without %s; is this its /api path?)", err, Subprotocol)
		}
		return nil, &ConnError{Err: fmt.Errorf("dial %s: %w", shown, err)}
	}
	if ws.Subprotocol() != Subprotocol {
		ws.Close(websocket.StatusProtocolError, "subprotocol "+Subprotocol+" required")
		return nil, &ConnError{Err: fmt.Errorf("dial %s: %w (got %q)", shown, ErrSubprotocol, ws.Subprotocol())}
	}
	ws.SetReadLimit(o.readLimit)
	cn := &conn{ws: ws, send: make(chan struct{}, 1)}
	cn.pending.OrphanIDs = []string{orphanID}
	return cn, nil
}

// String names the client by its URL, without a password.
func (c *Client) String() string { return "balanz.Client(" + c.shown + ")" }

// Format writes String for every verb: printing a Client never walks its
// fields, which change under other goroutines and hold the login token.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// Close ends the connection and every call in flight (they fail with a
// *ConnError wrapping ErrClosed and energy.ErrUnavailable), stops
// reconnecting and waits for the client's goroutine to end.
func (c *Client) Close() error {
	c.cancel()
	c.mu.Lock()
	if c.cur != nil {
		c.cur.ws.CloseNow()
	}
	c.mu.Unlock()
	c.wg.Wait()
	return nil
}

// run reads answers on cn until it fails, then, with reconnection on,
// redials and carries on with the new connection.
func (c *Client) run(cn *conn) {
	defer c.wg.Done()
	for cn != nil {
		err := c.read(cn)
		if c.ctx.Err() != nil {
			err = ErrClosed
		}
		cerr := &ConnError{Err: err}
		// Unpublish first, so a caller that finds the line closed finds no
		// connection either and waits for the next one.
		c.mu.Lock()
		c.cur, c.lastErr, c.ready = nil, cerr, make(chan struct{})
		c.mu.Unlock()
		cn.pending.Close(cerr)
		cn.ws.CloseNow()
		if err == ErrClosed || !c.o.reconnect {
			return
		}
		c.o.logger.Warn("balanz: connection lost; reconnecting", "url", c.shown, "err", err)
		cn = c.redial()
	}
}

// read delivers answers from cn until the connection fails.
func (c *Client) read(cn *conn) error {
	for {
		_, data, err := cn.ws.Read(c.ctx)
		if err != nil {
			return err
		}
		f, err := ocppj.ParseAnswer(data)
		if err != nil {
			// balanz answers in order: an unreadable answer is the oldest
			// call's.
			if ferr := cn.pending.Fail("", &DecodeError{Err: err}); ferr != nil {
				c.o.logger.Debug("balanz: unreadable frame with no call in flight", "err", err)
			}
			continue
		}
		if f.Type == ocppj.Call {
			c.o.logger.Debug("balanz: ignoring a call from the server", "action", f.Action)
			continue
		}
		if err := cn.pending.Resolve(f); err != nil {
			c.o.logger.Debug("balanz: answer dropped", "id", f.ID, "err", err)
		}
	}
}

// conn returns the live connection, waiting for a reconnection within ctx.
func (c *Client) conn(ctx context.Context, action string) (*conn, error) {
	for {
		c.mu.Lock()
		cn, ready, lastErr := c.cur, c.ready, c.lastErr
		c.mu.Unlock()
		if cn != nil {
			return cn, nil
		}
		if c.ctx.Err() != nil {
			return nil, &ConnError{Command: action, Err: ErrClosed}
		}
		if !c.o.reconnect {
			var ce *ConnError
			if errors.As(lastErr, &ce) {
				return nil, &ConnError{Command: action, Err: ce.Err}
			}
			return nil, &ConnError{Command: action, Err: ErrClosed}
		}
		select {
		case <-ready:
		case <-ctx.Done():
			return nil, fmt.Errorf("balanz: %s: waiting to reconnect: %w", action, ctx.Err())
		case <-c.ctx.Done():
		}
	}
}

// Call sends one command with payload (any value that encodes to a JSON
// object; nil, or a value that encodes to null, sends {}) and decodes the
// success payload into result (nil discards it). balanz reads every payload
// as an object, so anything else is refused before sending. It is what every typed method uses, and reaches commands
// this package does not wrap. An error answer is an *Error; a dropped
// connection a *ConnError; an answer of the wrong shape a *DecodeError.
func (c *Client) Call(ctx context.Context, action string, payload, result any) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("balanz: %s: %w", action, err)
	}
	if action == "" {
		return energy.Invalid("action", "empty command name")
	}
	var body json.RawMessage
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return energy.Invalid("payload", "%s payload does not encode: %v", action, err)
		}
		switch {
		case string(b) == "null": // a nil map or pointer: no arguments
		case b[0] != '{':
			return energy.Invalid("payload", "%s payload is %T, which does not encode to a JSON object", action, payload)
		default:
			body = b
		}
	}
	if dl, ok := ctx.Deadline(); c.o.timeout > 0 && (!ok || time.Until(dl) > c.o.timeout) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.o.timeout)
		defer cancel()
	}
	for {
		cn, err := c.conn(ctx, action)
		if err != nil {
			return err
		}
		err = c.exchange(ctx, cn, action, body, result)
		var ns *notSent
		if errors.As(err, &ns) && c.o.reconnect && c.ctx.Err() == nil {
			continue // the connection dropped before the call went out: send it on the next one
		}
		if ns != nil {
			return ns.err
		}
		return err
	}
}

// notSent is a connection failure noticed before a call was sent, which
// is safe to send again on a new connection.
type notSent struct{ err error }

func (e *notSent) Error() string { return e.err.Error() }

func (c *Client) exchange(ctx context.Context, cn *conn, action string, body json.RawMessage, result any) error {
	select {
	case cn.send <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("balanz: %s: %w", action, ctx.Err())
	}
	// Adding and writing under one lock keeps the pending line in the order
	// balanz sees the frames, which is the order it answers in.
	id, ch, err := cn.pending.Add()
	if err != nil {
		<-cn.send
		var ce *ConnError
		if errors.As(err, &ce) {
			err = ce.Err
		}
		return &notSent{&ConnError{Command: action, Err: err}}
	}
	cn.buf, err = ocppj.AppendCall(cn.buf[:0], id, action, body)
	if err == nil {
		wctx, cancel := context.WithTimeout(c.ctx, DefaultWriteTimeout)
		err = cn.ws.Write(wctx, websocket.MessageText, cn.buf)
		cancel()
		if err != nil {
			// a failed write leaves the stream unusable: the reader fails
			// every call, this one included
			cn.ws.CloseNow()
		}
	} else {
		cn.pending.Fail(id, err)
	}
	if cap(cn.buf) > 64<<10 {
		cn.buf = nil
	}
	<-cn.send

	var a ocppj.Answer
	select {
	case a = <-ch:
	case <-ctx.Done():
		cn.pending.Cancel(id)
		select {
		case a = <-ch: // answered meanwhile
		default:
			return fmt.Errorf("balanz: %s: %w", action, ctx.Err())
		}
	}
	return answer(action, id, a, result)
}

// answer turns a call's answer into result or an error.
func answer(action, id string, a ocppj.Answer, result any) error {
	if a.Err != nil {
		var oe *ocppj.Error
		var ce *ConnError
		var de *DecodeError
		switch {
		case errors.As(a.Err, &oe):
			return &Error{Command: action, Status: Status(oe.Status()), Orphan: oe.ID != id, Payload: oe.Payload}
		case errors.As(a.Err, &ce):
			return &ConnError{Command: action, Err: ce.Err}
		case errors.As(a.Err, &de):
			return &DecodeError{Command: action, Err: de.Err}
		}
		return fmt.Errorf("balanz: %s: %w", action, a.Err)
	}
	if result == nil {
		if !json.Valid(a.Payload) {
			return &DecodeError{Command: action, Err: errors.New("payload is not JSON")}
		}
		return nil
	}
	if err := json.Unmarshal(a.Payload, result); err != nil {
		return &DecodeError{Command: action, Err: err}
	}
	return nil
}
