package balanz

import (
	"context"

	"github.com/gridwire/gridwire/energy"
)

// Tags returns every id tag (GetTags).
func (c *Client) Tags(ctx context.Context) ([]Tag, error) {
	return callList[Tag](ctx, c, "GetTags", nil)
}

// ReloadTags rereads the tags from balanz's CSV file.
func (c *Client) ReloadTags(ctx context.Context) error {
	return c.callAccepted(ctx, "ReloadTags", nil)
}

// CreateTag adds an id tag (balanz upper-cases it). Empty fields are left
// out, so balanz applies its defaults; an empty Status in particular
// means balanz's default rather than a tag with no status.
func (c *Client) CreateTag(ctx context.Context, t Tag) error {
	if t.IDTag == "" {
		return energy.Invalid("IDTag", "empty")
	}
	return c.callAccepted(ctx, "CreateTag", struct {
		IDTag       string    `json:"id_tag"`
		UserName    string    `json:"user_name,omitempty"`
		ParentIDTag string    `json:"parent_id_tag,omitempty"`
		Description string    `json:"description,omitempty"`
		Status      TagStatus `json:"status,omitempty"`
		Priority    Int       `json:"priority"`
	}{t.IDTag, t.UserName, t.ParentIDTag, t.Description, t.Status, t.Priority})
}

// TagUpdate changes a tag; nil fields are left as they are.
type TagUpdate struct {
	IDTag       string     `json:"id_tag"`
	UserName    *string    `json:"user_name,omitempty"`
	ParentIDTag *string    `json:"parent_id_tag,omitempty"`
	Description *string    `json:"description,omitempty"`
	Status      *TagStatus `json:"status,omitempty"`
	Priority    *int       `json:"priority,omitempty"`
}

// UpdateTag changes an id tag.
func (c *Client) UpdateTag(ctx context.Context, u TagUpdate) error {
	if u.IDTag == "" {
		return energy.Invalid("IDTag", "empty")
	}
	return c.callAccepted(ctx, "UpdateTag", u)
}

// DeleteTag removes an id tag.
func (c *Client) DeleteTag(ctx context.Context, idTag string) error {
	if idTag == "" {
		return energy.Invalid("idTag", "empty")
	}
	return c.callAccepted(ctx, "DeleteTag", map[string]string{"id_tag": idTag})
}

// TagStatus says whether an id tag may start sessions.
type TagStatus string

// The tag statuses.
const (
	TagActivated TagStatus = "Activated"
	TagBlocked   TagStatus = "Blocked"
)

// Tag is an id tag (RFID card or app token) known to balanz.
type Tag struct {
	IDTag       string    `json:"id_tag"`
	UserName    string    `json:"user_name"`
	ParentIDTag string    `json:"parent_id_tag"`
	Description string    `json:"description"`
	Status      TagStatus `json:"status"`
	Priority    Int       `json:"priority"`
}
