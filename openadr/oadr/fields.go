package oadr

import (
	"encoding/xml"
	"fmt"
)

// Each type's children are declared once, in a table of fields: the child's
// name, whether the schema requires it, and how its content is decoded. One
// mechanism, decodeFields, walks the children, hands each to its field,
// skips the rest and names the first required child that did not come.

// need says whether the schema requires a child element.
type need uint8

const (
	optional   need = iota
	required        // at least once, for repeated elements
	orPrevious      // satisfies the required field before it: one of the two
	single          // required, and a second occurrence, which the schema allows, is not supported
)

// field is one child element of T's element.
type field[T any] struct {
	name   xml.Name
	need   need
	decode func(d *decoder, m *T) error
}

// fields is the table of T's children, in schema order, which is also the
// order in which missing ones are reported. At most 64.
type fields[T any] []field[T]

// decodeFields decodes the children of the current element into m.
func decodeFields[T any](d *decoder, m *T, fs fields[T]) error {
	return decodeFieldsOr(d, m, fs, nil)
}

// decodeFieldsOr is decodeFields with a decoder for children that are not
// in the table, found by a rule rather than a name (the item bases); other
// reports false for a child it does not know, which is then skipped.
func decodeFieldsOr[T any](d *decoder, m *T, fs fields[T], other func(d *decoder, m *T, name xml.Name) (bool, error)) error {
	var seen uint64
	for {
		name, ok, err := d.child()
		if !ok {
			if err != nil {
				return err
			}
			break
		}
		if err := decodeField(d, m, fs, other, name, &seen); err != nil {
			return at(name.Local, err)
		}
	}
	for i := range fs {
		if (fs[i].need == required || fs[i].need == single) && seen&(1<<i) == 0 {
			return missing(fs[i].name.Local)
		}
	}
	return nil
}

// decodeField decodes the child named name for decodeFieldsOr, recording
// the field it fills in seen.
func decodeField[T any](d *decoder, m *T, fs fields[T], other func(d *decoder, m *T, name xml.Name) (bool, error), name xml.Name, seen *uint64) error {
	for i := range fs {
		if sameName(fs[i].name, name) {
			if fs[i].need == single && *seen&(1<<i) != 0 {
				return fmt.Errorf("%w: more than one %s is not supported", ErrInvalidValue, name.Local)
			}
			*seen |= 1 << i
			if fs[i].need == orPrevious {
				*seen |= 1 << (i - 1)
			}
			return fs[i].decode(d, m)
		}
	}
	if other != nil {
		if ok, err := other(d, m, name); ok || err != nil {
			return err
		}
	}
	return d.skip()
}

// decodeAppend decodes one more occurrence of a repeated child into *list.
func decodeAppend[T any, P interface {
	*T
	decode(d *decoder) error
}](d *decoder, list *[]T) error {
	*list = append(*list, *new(T))
	return P(&(*list)[len(*list)-1]).decode(d)
}

// decodeNew decodes a child held by pointer into a new value.
func decodeNew[T any, P interface {
	*T
	decode(d *decoder) error
}](d *decoder, p **T) error {
	*p = new(T)
	return P(*p).decode(d)
}
