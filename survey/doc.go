// Package survey is Brandlift's domain, with no database and no HTTP:
// studies and their validation, questions and answers, the text rules and
// limits, signed tokens and holdout assignment, start stamps, quality
// flags, segments and cells, the lifecycle, errors, roles, and the types
// of users, keys, sessions, audit events, consent versions, exposures and
// export columns.
//
// It imports only the standard library. Imports point one way (see
// docs/ARCHITECTURE.md): cmd -> api -> survey/store -> survey/results ->
// survey -> stats.
package survey
