package cli

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"strconv"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// CheckAddr checks the syntax of a listen address, host:port with a port
// from 0 to 65535 (the host may be empty: every interface; so may the
// port, as net.Listen takes it: any free port), so that a typo
// is a usage error before anything is opened; like is the example the
// message gives, such as "127.0.0.1:8080 ([::1]:8080 for IPv6)".
func CheckAddr(addr, like string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("not host:port, such as " + like)
	}
	if port == "" {
		return nil // net.Listen takes it as 0: any free port
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// FlagError is err with the option or field a *energy.FieldError names
// replaced by the flag that set it (flags maps one to the other), so that
// the user reads "-base-url: …" rather than "invalid WithBaseURL: …". Any
// other error, or a field flags does not name, is returned as it is.
func FlagError(err error, flags map[string]string) error {
	fe, ok := errors.AsType[*energy.FieldError](err)
	if !ok {
		return err
	}
	flag, ok := flags[fe.Field]
	if !ok {
		return err
	}
	return errors.New(flag + ": " + fe.Reason)
}

// CheckBaseURL checks -base-url as the vendor clients will, so that a bad
// one is a usage error naming the flag before anything starts.
func CheckBaseURL(u string) error {
	return FlagError(rest.ValidateBaseURL(u), map[string]string{"WithBaseURL": "-base-url"})
}

// Given returns the names of the flags fs's command line gave, rather than
// left at their defaults.
func Given(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}
