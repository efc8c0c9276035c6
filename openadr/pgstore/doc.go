// Package pgstore is an openadr.Store in PostgreSQL, through
// github.com/jackc/pgx/v5, for several VTN processes that share one database
// behind a load balancer.
//
//	store, err := pgstore.Open(ctx, "postgres://vtn:secret@db.example/vtn")
//	if err != nil { … }
//	defer store.Close()
//	vtn, err := openadr.NewVTN("VTN_1", openadr.WithStore(store))
//
// Update holds a transaction-scoped advisory lock on the VEN for the time of
// fn, so updates of one VEN from any replica run one after another and none
// is lost; a request that changes nothing (an empty poll) reads and writes
// nothing else, so it costs the database no WAL. Put the tables in their own
// schema with the connection string's search_path parameter.
//
// The schema is versioned and migrated from SQL embedded in the binary when
// the store is opened (replicas starting together migrate one at a time); a
// database migrated by a newer gridwire is refused with a *SchemaError.
package pgstore
