// Package sqlitestore is a durable openadr.Store in one SQLite file, through
// modernc.org/sqlite (pure Go, no cgo): the VTN's embedded default when its
// state must survive a restart.
//
//	store, err := sqlitestore.Open(ctx, "vtn.db")
//	if err != nil { … }
//	defer store.Close()
//	vtn, err := openadr.NewVTN("VTN_1", openadr.WithStore(store))
//
// The file is in WAL mode with synchronous=NORMAL: a write that returned is
// on disk when the process is killed (SIGKILL, a crash, an OOM kill); only an
// operating-system crash or power loss can lose the last transactions, as
// SQLite documents for that mode. One VTN process owns a file: Update's
// atomicity per VEN comes from a lock in the process. Several VTN processes
// share state through PostgreSQL instead (package pgstore).
//
// The schema is versioned and migrated from SQL embedded in the binary when
// the store is opened; a file written by a newer gridwire is refused with a
// *SchemaError rather than misread.
package sqlitestore
