// Package store is Brandlift's storage on PostgreSQL or SQLite through
// GORM: the migrations runner, table rows, studies, submissions with group
// commit and the running counts kept in the same transaction, exposures,
// erasure, exports, keys, users, sessions, the audit log, consent
// versions, readiness, and the classification of database errors (an
// outage or a bug). Reports are read as aggregate counts and assembled by
// package results.
//
// It may import survey, survey/results, migrations and the database
// drivers; of ours, only api and cmd (and tests) import it.
package store
