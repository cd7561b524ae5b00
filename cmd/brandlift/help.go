package main

import "slices"

// commandHelp is the help of the commands that take a subcommand, printed
// by "brandlift COMMAND -h" (the others print their flags).
var commandHelp = map[string]string{
	"migrate": `Usage: brandlift migrate up|status [--db DSN]

  up      apply every pending migration, each in its own transaction
  status  list the migrations and when each was applied

--db defaults to BRANDLIFT_DB, then sqlite:brandlift.db.
`,
	"keys": `Usage: brandlift keys create --role admin|marketer|analyst --name NAME [--db DSN]

Creates an API key and prints it once, alone on the last line; only its
SHA-256 hash is stored. Run "brandlift keys create -h" for the flags.
`,
	"users": `Usage: brandlift users create --email E --role admin|marketer|analyst [--password-stdin] [--db DSN]

Creates a dashboard user. The password is generated and printed, or read
from the first line of standard input with --password-stdin. Run
"brandlift users create -h" for the flags.
`,
}

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool { return slices.Contains([]string{"-h", "-help", "--help", "help"}, arg) }
