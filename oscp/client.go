package oscp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
	"github.com/gridwire/gridwire/solarnetwork/snws2"
)

// Client talks to the SolarUser OSCP API with one SolarNetwork user token.
// It is safe for concurrent use; its token secret never appears in logs,
// errors or %v output.
type Client struct {
	rest   *rest.Client
	signer *snws2.Signer
}

// New returns a Client that signs its requests with the SolarNetwork
// security token tokenID and its secret. It does no I/O. An empty token or
// secret, or an invalid option, is an *energy.FieldError naming it.
func New(tokenID, tokenSecret string, opts ...Option) (*Client, error) {
	o := options{rest: rest.DefaultOptions(DefaultBaseURL)}
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.rest.Validate(); err != nil {
		return nil, err
	}
	signer, err := snws2.NewSigner(tokenID, tokenSecret, append(o.signer, snws2.WithClock(o.rest.Clock))...)
	if err != nil {
		return nil, err
	}
	cfg := o.rest.Config("oscp")
	// See exchange: the whole error body, and the credentials to redact
	// from it.
	hc := *cfg.HTTPClient
	hc.Transport = &captureTransport{base: hc.Transport}
	cfg.HTTPClient = &hc
	cfg.Sign = signer.Sign
	return &Client{rest: rest.New(cfg), signer: signer}, nil
}

// String describes the client without its secret.
func (c *Client) String() string {
	return "oscp.Client{TokenID: " + strconv.Quote(c.signer.TokenID()) + "}"
}

// call is one API call: data, when out is set, is decoded into out.
type call struct {
	method string
	path   string // below APIPath
	body   any
	out    any
	// optional: an answer without data is not an error.
	optional bool
}

// do sends cl and returns the answer's headers. Reads are retried after
// network errors and 5xx answers, writes never. Every error is one of this
// package's types (or the context's), with the call's credentials and the
// body's secrets redacted from what it repeats of the answer.
func (c *Client) do(ctx context.Context, cl call) (http.Header, error) {
	p := APIPath + cl.path
	var bodySecrets []string
	if in, ok := cl.body.(interface{ serviceProps() ServiceProps }); ok {
		bodySecrets = in.serviceProps().secrets()
	}
	ctx, x := withExchange(ctx, bodySecrets)
	resp, err := c.rest.Do(ctx, &rest.Request{
		Method:  cl.method,
		Path:    p,
		Body:    cl.body,
		NoRetry: cl.method != http.MethodGet,
	})
	if err != nil {
		return nil, convertError(err, x)
	}
	if resp.StatusCode == http.StatusNoContent && len(resp.Body) == 0 && cl.out == nil {
		return resp.Header, nil
	}
	env, ok := decodeEnvelope(resp.Body)
	if !ok {
		return nil, x.decodeError(cl.method, p, resp.Body, errors.New("not a SolarNetwork result envelope"))
	}
	if !*env.Success {
		return nil, apiError(cl.method, p, resp.StatusCode, x.redact(resp.Body))
	}
	if cl.out == nil {
		return resp.Header, nil
	}
	if len(env.Data) == 0 || bytes.Equal(env.Data, []byte("null")) {
		if cl.optional {
			return resp.Header, nil
		}
		return nil, x.decodeError(cl.method, p, resp.Body, errors.New("no data"))
	}
	if err := json.Unmarshal(env.Data, cl.out); err != nil {
		return nil, x.decodeError(cl.method, p, resp.Body, err)
	}
	return resp.Header, nil
}

// idFromLocation returns the last path segment of a Location header as an
// id, or 0.
func idFromLocation(h http.Header) int64 {
	loc := h.Get("Location")
	if loc == "" {
		return 0
	}
	if u, err := url.Parse(loc); err == nil {
		loc = u.Path
	}
	id, err := strconv.ParseInt(path.Base(strings.TrimRight(loc, "/")), 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// idPath returns "/<prefix>/<id>" or a FieldError for a non-positive id.
func idPath(field string, id int64, prefix string) (string, error) {
	if id <= 0 {
		return "", energy.Invalid(field, "%d is not a configId (must be positive)", id)
	}
	return prefix + "/" + strconv.FormatInt(id, 10), nil
}
