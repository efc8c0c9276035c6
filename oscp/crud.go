package oscp

import (
	"context"
	"net/http"
)

// The SolarUser OSCP API handles every entity kind the same way; these
// helpers hold that once, and the endpoint methods name the kind.

// validator is an input with SolarNetwork's checks.
type validator interface{ Validate() error }

// list GETs a plain JSON array (the OSCP list endpoints do not paginate).
func list[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var out []T
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, out: &out})
	return out, err
}

// get GETs prefix/id+suffix.
func get[T any](ctx context.Context, c *Client, field string, id int64, prefix, suffix string) (T, error) {
	var out T
	p, err := idPath(field, id, prefix)
	if err != nil {
		return out, err
	}
	_, err = c.do(ctx, call{method: http.MethodGet, path: p + suffix, out: &out})
	return out, err
}

// put checks in and PUTs it to prefix/id+suffix, replacing the entity; the
// answer's entity, when there is one, is returned.
func put[T any](ctx context.Context, c *Client, field string, id int64, prefix, suffix string, in validator) (T, error) {
	var out T
	p, err := idPath(field, id, prefix)
	if err != nil {
		return out, err
	}
	if err := in.Validate(); err != nil {
		return out, err
	}
	_, err = c.do(ctx, call{method: http.MethodPut, path: p + suffix, body: in, out: &out, optional: true})
	return out, err
}

// remove DELETEs prefix/id+suffix.
func remove(ctx context.Context, c *Client, field string, id int64, prefix, suffix string) error {
	p, err := idPath(field, id, prefix)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, call{method: http.MethodDelete, path: p + suffix})
	return err
}

// create checks in and POSTs it to path; a configId missing from the
// answer is taken from its Location header (201 Created).
func create[T any](ctx context.Context, c *Client, path string, in validator, configID func(*T) *int64) (T, error) {
	var out T
	if err := in.Validate(); err != nil {
		return out, err
	}
	h, err := c.do(ctx, call{method: http.MethodPost, path: path, body: in, out: &out})
	if err != nil {
		return out, err
	}
	if id := configID(&out); *id == 0 {
		*id = idFromLocation(h)
	}
	return out, nil
}
