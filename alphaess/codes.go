package alphaess

import (
	"strconv"

	"github.com/gridwire/gridwire/energy"
)

// Code is the `code` field of an AlphaESS answer. The client branches on it
// and never on the message, which AlphaESS localises (an English account has
// been seen getting a Chinese message for 6005).
type Code int

// The return codes of the Open API: the developer portal's table plus two
// undocumented ones seen live (6017 and 10001).
const (
	CodeSuccess               Code = 200   // Success
	CodeParameterError        Code = 6001  // a value is missing, malformed or out of range; ExpMsg may say which
	CodeSNNotBoundToUser      Code = 6002  // the system has no registered end user (getVerificationCode)
	CodeSNAlreadyBound        Code = 6003  // bindSn on a system already bound to this AppID; Bind treats it as success
	CodeCheckCodeError        Code = 6004  // the CheckCode printed on the system does not match
	CodeAppIDNotBound         Code = 6005  // this AppID is not bound to the system: bind it in the portal or with Bind
	CodeTimestampError        Code = 6006  // timeStamp more than 300 s from server time (or milliseconds sent)
	CodeSignError             Code = 6007  // the signature does not verify: wrong AppSecret or AppID
	CodeSetFailed             Code = 6008  // the device rejected the write (overlapping periods, …)
	CodeWhitelistFailed       Code = 6009  // IP allow-list; also seen for an out-of-window timestamp
	CodeSignEmpty             Code = 6010  // the sign header is missing
	CodeTimestampEmpty        Code = 6011  // the timeStamp header is missing
	CodeAppIDEmpty            Code = 6012  // the appId header is missing
	CodeDataNotFound          Code = 6016  // the data does not exist or has been deleted
	CodeNoPermission          Code = 6017  // undocumented: the account or hardware is not entitled (periodic schedule)
	CodeInternalError         Code = 6026  // server error; also answered for an invalid or future queryDate
	CodeOperationFailed       Code = 6029  // generic failure of an operation
	CodeSNNotFound            Code = 6038  // no system has this serial number
	CodeSystemOffline         Code = 6042  // the system is offline (routine overnight dropouts)
	CodeVerificationCodeError Code = 6046  // the emailed verification code is wrong or expired
	CodeTooFast               Code = 6053  // rate limited: the request came too soon after the previous one
	CodeMalformedRequest      Code = 10001 // undocumented: the body is structurally malformed (a list omitted)
)

// codeInfo is what the client knows about a code: the portal's text (English,
// for error messages, since Msg may be in any language), the energy sentinel
// it wraps, and whether trying again later can succeed.
type codeInfo struct {
	text      string
	sentinel  error
	retryable bool
}

var codes = map[Code]codeInfo{
	CodeSuccess:          {"success", nil, false},
	CodeParameterError:   {"parameter error", energy.ErrInvalid, false},
	CodeSNNotBoundToUser: {"the SN is not bound to a user", nil, false},
	CodeSNAlreadyBound:   {"the SN is already bound", nil, false},
	CodeCheckCodeError:   {"CheckCode error", energy.ErrInvalid, false},
	// A missing binding means this AppID may not touch the system: the
	// credentials are not allowed to do this.
	CodeAppIDNotBound:  {"this appId is not bound to the SN", energy.ErrUnauthorized, false},
	CodeTimestampError: {"timestamp error (clock skew over 300 s?)", energy.ErrUnauthorized, false},
	CodeSignError:      {"sign verification error (wrong AppID or AppSecret?)", energy.ErrUnauthorized, false},
	CodeSetFailed:      {"set failed", nil, false},
	// Seen both for the IP allow-list and for stale timestamps: either way
	// the request was not authenticated.
	CodeWhitelistFailed: {"whitelist verification failed (IP allow-list or clock)", energy.ErrUnauthorized, false},
	CodeSignEmpty:       {"sign is empty", energy.ErrUnauthorized, false},
	CodeTimestampEmpty:  {"timestamp is empty", energy.ErrUnauthorized, false},
	CodeAppIDEmpty:      {"appId is empty", energy.ErrUnauthorized, false},
	CodeDataNotFound:    {"data does not exist or has been deleted", nil, false},
	// An entitlement of the account or hardware: the feature is
	// unavailable, and retrying does not help. Not a credentials problem (the same
	// credentials work elsewhere), so ErrUnsupported rather than
	// ErrUnauthorized.
	CodeNoPermission:          {"no operation permissions (feature not available to this account or system)", energy.ErrUnsupported, false},
	CodeInternalError:         {"internal error", energy.ErrUnavailable, true},
	CodeOperationFailed:       {"operation failed", nil, true},
	CodeSNNotFound:            {"system SN does not exist", energy.ErrInvalid, false},
	CodeSystemOffline:         {"system offline", energy.ErrUnavailable, true},
	CodeVerificationCodeError: {"verification code error", energy.ErrInvalid, false},
	CodeTooFast:               {"request too fast", energy.ErrRateLimited, true},
	CodeMalformedRequest:      {"malformed request", energy.ErrInvalid, false},
}

// Codes returns every documented code, in ascending order.
func Codes() []Code {
	return []Code{
		CodeSuccess, CodeParameterError, CodeSNNotBoundToUser, CodeSNAlreadyBound, CodeCheckCodeError,
		CodeAppIDNotBound, CodeTimestampError, CodeSignError, CodeSetFailed, CodeWhitelistFailed,
		CodeSignEmpty, CodeTimestampEmpty, CodeAppIDEmpty, CodeDataNotFound, CodeNoPermission,
		CodeInternalError, CodeOperationFailed, CodeSNNotFound, CodeSystemOffline,
		CodeVerificationCodeError, CodeTooFast, CodeMalformedRequest,
	}
}

// String returns the portal's meaning of c in English, such as "system
// offline", or "code 1234" for an unknown code.
func (c Code) String() string {
	if i, ok := codes[c]; ok {
		return i.text
	}
	return "code " + strconv.Itoa(int(c))
}

// Sentinel returns the energy sentinel c maps to, or nil:
//
//	6005, 6006, 6007, 6009, 6010, 6011, 6012  energy.ErrUnauthorized
//	6053                                      energy.ErrRateLimited
//	6026, 6042                                energy.ErrUnavailable
//	6017                                      energy.ErrUnsupported
//	6001, 6004, 6038, 6046, 10001             energy.ErrInvalid
func (c Code) Sentinel() error { return codes[c].sentinel }

// Retryable reports whether the same request may succeed later: 6026
// (internal error), 6029 (operation failed), 6042 (offline) and 6053 (too
// fast).
func (c Code) Retryable() bool { return codes[c].retryable }
