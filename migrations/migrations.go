// Package migrations embeds the versioned SQL schema of Brandlift, one folder
// per dialect. File names are NNNN_description.sql; the number is the version.
// The runner that applies them lives in package survey.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
