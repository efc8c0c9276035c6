// Package snws2 signs and verifies requests with SNWS2, the authentication
// scheme of every SolarNetwork API (SolarUser, SolarQuery, SolarIn …), not
// only its OSCP API. It lives under solarnetwork/ rather than oscp/ for that
// reason: a program that reads datum from SolarQuery needs the signer but
// none of OSCP, and the import path says whose scheme it is.
//
// A Signer adds the X-SN-Date (or Date), Digest (when there is a body) and
// Authorization headers to any *http.Request; its Transport does so for
// every request an http.Client sends, so any net/http or resty client can
// use it:
//
//	s, err := snws2.NewSigner(tokenID, tokenSecret)
//	if err != nil { … }
//	hc := &http.Client{Transport: s.Transport(nil)}
//	resp, err := hc.Get("https://data.solarnetwork.net/solaruser/api/v1/sec/user/oscp/settings")
//
// A Verifier checks signed requests with SolarNetwork's server rules, for
// services that want to accept SolarNetwork tokens (and for fakes).
//
// The algorithm: a canonical request (method, the path as sent, the sorted
// and RFC 3986 percent-encoded query and form parameters, the signed headers
// as name:value lines, their names, and the hex SHA-256 of the body) is
// hashed into a string to sign with the request time; a signing key derived
// from the token secret and the request's UTC day signs it with
// HMAC-SHA256.
package snws2
