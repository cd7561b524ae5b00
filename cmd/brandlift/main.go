// Command brandlift is the Brandlift server and its admin tools in one
// binary: serve, demo, migrate, keys, users, loadtest, verify and version.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `brandlift: brand-lift and NPS surveys with honest statistics

Usage:
  brandlift serve   [--addr 127.0.0.1:8080] [--db DSN]   migrate the schema, then serve
  brandlift demo    [--addr ...] [--db DSN]              seed simulated studies, then serve
  brandlift migrate up|status [--db DSN]
  brandlift keys create --role admin|marketer|analyst --name NAME [--db DSN]
  brandlift users create --email E --role admin|marketer|analyst [--password-stdin] [--db DSN]
  brandlift loadtest --url URL --key KEY [--mode submit|pixel|page] [--clients 16]
                                                         answer, count or open a new study from many clients
  brandlift verify  --study ID [--acked FILE | --impressions FILE] [--db DSN]
                                                         recount a study's stored responses or impressions
  brandlift version

Flags win over the environment (BRANDLIFT_DB, BRANDLIFT_DB_REPLICA, BRANDLIFT_ADDR, BRANDLIFT_BASE_URL,
BRANDLIFT_PUBLIC_RATE, BRANDLIFT_LOG_FORMAT, BRANDLIFT_WEBHOOK_ALLOW_PRIVATE,
BRANDLIFT_SMTP_URL, BRANDLIFT_SMTP_FROM, BRANDLIFT_METRICS_ADDR, BRANDLIFT_METRICS_TOKEN;
BRANDLIFT_ADMIN_EMAIL and BRANDLIFT_ADMIN_PASSWORD create the first admin user). Run
"brandlift COMMAND -h" for a command's flags.

Prometheus metrics (/metrics) are off until serve or demo is given --metrics-addr
(a listener of their own, for a private network) or --metrics-token (on the main
address, behind Authorization: Bearer TOKEN).
`

// errUsage marks a mistake on the command line (exit code 2).
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code. Every
// failure is one line on stderr: no panics, no stack traces.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if h, ok := commandHelp[args[0]]; ok && len(args) > 1 && isHelp(args[1]) {
		fmt.Fprint(stdout, h)
		return 0
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(args[1:], stdout, stderr)
	case "demo":
		err = cmdDemo(args[1:], stdout, stderr)
	case "migrate":
		err = cmdMigrate(args[1:], stdout, stderr)
	case "keys":
		err = cmdKeys(args[1:], stdout, stderr)
	case "users":
		err = cmdUsers(args[1:], os.Stdin, stdout, stderr)
	case "loadtest":
		err = cmdLoadtest(args[1:], stdout, stderr)
	case "verify":
		err = cmdVerify(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "brandlift", version())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "brandlift: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "brandlift:", strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	default:
		fmt.Fprintln(stderr, "brandlift:", oneLine(err.Error()))
		return 1
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}
