package oadrsig

// NonceCount returns the number of nonces v remembers.
func NonceCount(v *Verifier) int { return v.nonces.len() }

// UseOpenLEADRLayout makes s sign as OpenLEADR does (signxml's detached
// signature with signature properties): inclusive C14N 1.0, the property
// reference naming a ds:Object Id="prop", SignatureProperty Id="myid"
// Target="#mytarget".
func UseOpenLEADRLayout(s *Signer) {
	s.layout = layout{
		c14n:     "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
		onObject: true,
		propsID:  "prop",
		propID:   "myid",
		target:   "#mytarget",
	}
}
