package oscp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
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
	// internal/rest keeps only a 512-byte excerpt of an error body, which
	// can cut a validation envelope's field errors short; this transport
	// hands the whole body to the call that asked for it.
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
// network errors and 5xx answers, writes never.
func (c *Client) do(ctx context.Context, cl call) (http.Header, error) {
	p := APIPath + cl.path
	holder := new(errorBody)
	ctx = context.WithValue(ctx, errorBodyKey{}, holder)
	resp, err := c.rest.Do(ctx, &rest.Request{
		Method:  cl.method,
		Path:    p,
		Body:    cl.body,
		NoRetry: cl.method != http.MethodGet,
	})
	if err != nil {
		var he *rest.HTTPError
		if !errors.As(err, &he) {
			return nil, err
		}
		body := holder.body
		if body == nil {
			body = []byte(he.Body)
		}
		return nil, apiError(cl.method, p, he.StatusCode, body)
	}
	if resp.StatusCode == http.StatusNoContent && len(resp.Body) == 0 && cl.out == nil {
		return resp.Header, nil
	}
	env, ok := decodeEnvelope(resp.Body)
	if !ok {
		return nil, &DecodeError{Method: cl.method, Endpoint: p, Body: rest.Excerpt(resp.Body), Err: errors.New("not a SolarNetwork result envelope")}
	}
	if !*env.Success {
		return nil, apiError(cl.method, p, resp.StatusCode, resp.Body)
	}
	if cl.out == nil {
		return resp.Header, nil
	}
	if len(env.Data) == 0 || bytes.Equal(env.Data, []byte("null")) {
		if cl.optional {
			return resp.Header, nil
		}
		return nil, &DecodeError{Method: cl.method, Endpoint: p, Body: rest.Excerpt(resp.Body), Err: errors.New("no data")}
	}
	if err := json.Unmarshal(env.Data, cl.out); err != nil {
		return nil, &DecodeError{Method: cl.method, Endpoint: p, Body: rest.Excerpt(resp.Body), Err: err}
	}
	return resp.Header, nil
}

// apiError builds an *APIError from an answer's status and body.
func apiError(method, endpoint string, status int, body []byte) error {
	ae := &APIError{Method: method, Endpoint: endpoint, StatusCode: status}
	if env, ok := decodeEnvelope(body); ok {
		ae.Code, ae.Message, ae.Errors = string(env.Code), env.Message, env.Errors
	} else {
		ae.Body = rest.Excerpt(body)
	}
	return ae
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

type errorBodyKey struct{}

type errorBody struct{ body []byte }

// captureTransport keeps the whole body of an error answer (up to 1 MiB)
// for the call whose context carries an *errorBody.
type captureTransport struct{ base http.RoundTripper }

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	holder, ok := req.Context().Value(errorBodyKey{}).(*errorBody)
	if !ok {
		return resp, nil
	}
	b, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	if rerr != nil {
		return nil, rerr
	}
	holder.body = b
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}
