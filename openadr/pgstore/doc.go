// Package pgstore is an openadr.Store in PostgreSQL, through
// github.com/jackc/pgx/v5, for several VTN processes that share one database
// behind a load balancer.
//
//	store, err := pgstore.Open(ctx, "postgres://vtn:secret@db.example/vtn")
//	if err != nil { … }
//	defer store.Close()
//	go store.Listen(ctx) // wakes SetSchedule when another process gets the answer
//	vtn, err := openadr.NewVTN("VTN_1", openadr.WithStore(store))
//
// Update holds a transaction-scoped advisory lock on the VEN for the time of
// fn, so updates of one VEN from any process run one after another and none
// is lost; the transaction, the lock and the read travel in one round trip.
// A request that changes nothing writes nothing, and the VTN answers an
// empty poll with a View: one query for a small row, as a Store keeps the
// states it decoded with their row version and decodes again only a state
// another process (or request) changed. Put the tables in their own schema
// with the connection string's search_path parameter.
//
// Store is an openadr.Notifier: it carries the wake-up of a
// Battery.SetSchedule waiting in one process for an answer another process
// receives, through LISTEN/NOTIFY. Listen, which the application runs (no
// goroutine starts by itself), holds the one connection that listens.
//
// The schema is versioned and migrated from SQL embedded in the binary when
// the store is opened (replicas starting together migrate one at a time); a
// database migrated by a newer gridwire is refused with a *SchemaError.
package pgstore
