package rest

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
)

// redacted replaces a secret in body excerpts and log records.
const redacted = "[redacted]"

// minSecretPart is the shortest word of a header value that is redacted on
// its own: long enough for a token or a signature, too long for a scheme
// name such as "Bearer" whose redaction would only garble the text.
const minSecretPart = 8

// attemptKey carries an *attempt in the request's context, so that the
// client-wide signing hook can tell the attempt what it signed with.
type attemptKey struct{}

// attempt collects the header values Sign set for one attempt (and for
// same-origin redirects within it): they are secrets of that attempt.
type attempt struct {
	secrets []string
}

// sign runs Config.Sign on req and records, in a, every header value it
// added or changed.
func (c *Client) sign(req *http.Request, a *attempt) error {
	before := req.Header.Clone()
	err := c.cfg.Sign(req)
	if a != nil {
		for k, vs := range req.Header {
			if slices.Equal(before[k], vs) {
				continue
			}
			a.secrets = append(a.secrets, vs...)
		}
	}
	return err
}

// attemptContext returns ctx carrying a fresh attempt.
func attemptContext(ctx context.Context) (context.Context, *attempt) {
	a := &attempt{}
	return context.WithValue(ctx, attemptKey{}, a), a
}

// redactor removes secrets from text. Secrets are the configured ones
// (Config.Secrets, the values of Config.Header) and what Sign set for the
// attempt; a header value is removed whole and word by word, so that the
// token inside "Bearer <token>" goes too when a server echoes it alone.
//
// It is built on first use: most attempts succeed and never need it.
type redactor struct {
	c     *Client
	a     *attempt
	built bool
	words []string // longest first, so a secret is not half-replaced by its prefix
}

func (c *Client) redactor(a *attempt) *redactor { return &redactor{c: c, a: a} }

func (r *redactor) build() {
	if r.built {
		return
	}
	r.built = true
	c, a := r.c, r.a
	var words []string
	add := func(v string, whole bool) {
		if whole && v != "" {
			words = append(words, v)
		}
		for _, w := range strings.FieldsFunc(v, func(r rune) bool {
			return r == ' ' || r == ',' || r == ';' || r == '=' || r == ':' || r == '"'
		}) {
			if len(w) >= minSecretPart && w != v {
				words = append(words, w)
			}
		}
	}
	for _, s := range c.cfg.Secrets {
		add(s.Reveal(), true)
	}
	for _, vs := range c.cfg.Header {
		for _, v := range vs {
			add(v, len(v) >= minSecretPart/2)
		}
	}
	if a != nil {
		for _, v := range a.secrets {
			add(v, len(v) >= minSecretPart/2)
		}
	}
	slices.SortFunc(words, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	r.words = slices.Compact(words)
}

// longest is the length of the longest secret.
func (r *redactor) longest() int {
	r.build()
	if len(r.words) == 0 {
		return 0
	}
	return len(r.words[0])
}

// string returns s with every secret replaced.
func (r *redactor) string(s string) string {
	r.build()
	for _, w := range r.words {
		s = strings.ReplaceAll(s, w, redacted)
	}
	return s
}

// excerpt is Excerpt of b with the secrets removed. It redacts before
// cutting, so that a secret straddling the cut cannot leave its first half.
func (r *redactor) excerpt(b []byte) string {
	n := maxExcerpt + r.longest()
	cut := len(b) > n
	if cut {
		b = b[:n]
	}
	s := Excerpt([]byte(r.string(string(b))))
	if cut && !strings.HasSuffix(s, "…") {
		s += "…"
	}
	return s
}
