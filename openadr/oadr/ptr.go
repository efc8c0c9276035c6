package oadr

// Ptr returns a pointer to v, for the optional fields whose zero value is
// meaningful (oadr.Ptr(0.0) for a minimum of zero, oadr.Ptr(true), …).
func Ptr[T any](v T) *T { return &v }
