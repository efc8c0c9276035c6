package oadrsig

// NonceCount returns the number of nonces v remembers.
func NonceCount(v *Verifier) int { return v.nonces.len() }
