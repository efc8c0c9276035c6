package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"
)

// Location is the time zone a -tz flag names: an IANA name such as
// Europe/Berlin, "Local" (which follows $TZ) or "UTC", the last two in
// any case. Its error says what to give instead. Commands should link in
// time/tzdata so that IANA names work without a zoneinfo database.
func Location(name string) (*time.Location, error) {
	switch {
	case strings.EqualFold(name, "Local"):
		return time.Local, nil
	case strings.EqualFold(name, "UTC"):
		return time.UTC, nil
	case name == "":
		return nil, errors.New(`no time zone given: give an IANA name such as Europe/Berlin, "Local" or "UTC"`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf(`%q is not a time zone: give an IANA name such as Europe/Berlin, "Local" or "UTC"`, name)
	}
	return loc, nil
}

// Zone is the value of a -tz flag: a time zone as Location reads it. A
// name that is none is a bad flag, so Parse reports it and exits 2.
type Zone struct {
	name string
	loc  *time.Location
}

// TZ defines the -tz flag on fs with the zone named def (which must be
// one: a bad default is a programming error and panics, as flag does with
// a flag defined twice) and the given usage.
func TZ(fs *flag.FlagSet, def, usage string) *Zone {
	loc, err := Location(def)
	if err != nil {
		panic("cli: default of -tz: " + err.Error())
	}
	z := &Zone{name: def, loc: loc}
	fs.Var(z, "tz", usage)
	return z
}

// Location is the zone given, or the default.
func (z *Zone) Location() *time.Location { return z.loc }

// String is the zone's name, as given.
func (z *Zone) String() string {
	if z == nil {
		return ""
	}
	return z.name
}

// Set reads a zone's name; flag calls it.
func (z *Zone) Set(name string) error {
	loc, err := Location(name)
	if err != nil {
		return err
	}
	z.name, z.loc = name, loc
	return nil
}
