// Package volue is a client for Volue's Energy Coordination API (Spark):
// registering users, their vehicles, meters, locations and resources;
// webhooks; events; and reports; a Receiver that verifies the webhook
// deliveries; and a location's prices, fed by price events, as an
// energy.PriceSource.
//
//	c, err := volue.New(os.Getenv("VOLUE_CLIENT_ID"), os.Getenv("VOLUE_CLIENT_SECRET"),
//		volue.WithBaseURL(volue.SandboxBaseURL))
//	user, err := c.CreateUser(ctx)
//	err = c.AddVehicle(ctx, user.ID, volue.Vehicle{ID: "car-1", Metadata: volue.VehicleMetadata{Brand: "Tesla"}})
//
// # Authentication
//
// The client authenticates with OAuth2 client credentials
// (golang.org/x/oauth2/clientcredentials) against DefaultTokenURL, sending
// the credentials in the form as Volue documents. The access token is
// cached and renewed shortly before it expires (expires_in, reckoned on the
// client's clock), so requests never carry a token about to lapse. A 401
// from the API (a revoked token) makes the client drop the token, fetch a
// new one and send the request once more; a second 401 is returned.
// Credentials the token endpoint refuses are an *AuthError carrying the
// endpoint's own reason (such as "invalid_client") and wrapping
// energy.ErrUnauthorized; the API is not called. The client secret, tokens
// and webhook secrets never appear in logs, errors or %v output.
//
// # Two generations of the API
//
// Volue's documentation exists in an older form (users, vehicles, meters,
// resources with metadata, VehicleChargeAction reports, OpenADR-style
// events) and a current one (locations, GET and DELETE /resources/{id},
// GET /events, EnergyUsage and LocationEnergyUsage reports). The client
// offers both; decoders accept either generation's field names (id or
// eventId, createdAt or createdDateTime). Resource metadata is typed by its
// resourceType (*VehicleMetadata, *HotWaterTankMetadata); an unknown type is
// kept whole as *UnknownMetadata. Event payloads likewise
// (*PriceCurveCreated, *PriceDelta, *UserEligibilityUpdated,
// *LocationLPCCreated, else *UnknownPayload). Volue publishes the event
// types' names but not every payload field; the typed payloads read the
// fields their doc comments name, and every Event keeps its bytes as
// received (Event.Raw), so nothing a newer payload adds is lost.
//
// # Units
//
// Quantities use energy's types: powers in energy.Watts, battery capacity
// in energy.WattHours, state of charge as energy.Fraction (0..1), as the API
// itself counts them. Energy reports are converted to the API's kWh on the
// wire. Input is checked before any I/O, with a *energy.FieldError naming
// the field: required ids, state of charge within 0..1, coordinates within
// ±90/±180, powers, capacities and energies not negative, report hours on
// whole UTC hours.
//
// # Errors and retries
//
// An answer of 400 or more is an *APIError with the status, the problem
// details when the API sent them and the start of the body; it wraps
// energy.ErrUnauthorized (401, 403), energy.ErrRateLimited (429),
// energy.ErrUnavailable (408, 5xx) or energy.ErrInvalid (400, 409, 422).
// No answer at all is a *TransportError and a body that is not the
// promised JSON a *DecodeError, both wrapping energy.ErrUnavailable. Reads
// are retried after network errors and 5xx answers (WithRetries), and so is
// a read whose token could not be fetched because the token endpoint failed
// (credentials refused up front fail the call at once); writes, DELETE
// included, are not, since the API may have acted on the first. A 429 is
// waited out once, after its Retry-After, whatever the method, since the
// API did not act on it.
//
// # Webhooks
//
// Receiver is the http.Handler for a webhook's URL. It verifies each
// delivery's signature (X-Payload-Signature, or Spark-Signature, =
// Base64(HMAC-SHA256(secret, raw body))) in constant time against one or
// more secrets, bounds the body, drops redeliveries of an event already
// handled, and passes the typed event to the application's Hook. A Hook
// error answers 500 so that Volue delivers the event again (up to three
// retries); events also stay readable through ListEvents.
//
// Package voluetest has a fake of the API, its token endpoint and its
// webhook sender, for tests and offline use.
package volue
