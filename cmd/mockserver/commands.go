package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// cli is what every command gets from the process.
type cli struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

type command struct {
	name, summary string
	run           func(ctx context.Context, c *cli, args []string) error
}

// commands are listed in the help in this order.
var commands []command

func init() {
	commands = []command{
		{"serve", "serve the APIs and the admin API (the default command)", runServe},
		{"proxy", "forward to the real services, checking their traffic against the specs", runProxy},
		{"validate", "check OpenAPI documents and scenario files", runValidate},
		{"routes", "list every served route with its roles and statuses", runRoutes},
		{"diff", "compare two versions of an OpenAPI document; exit 1 on a breaking change", runDiff},
		{"pact", "verify consumers' Pact files against the APIs: mockserver pact verify FILE|DIR...", runPact},
		{"version", "print the version", runVersion},
		{"help", "show this help, or a command's: mockserver help serve", runHelp},
	}
}

// run is the whole program: args are os.Args[1:]; ctx is cancelled on
// SIGINT or SIGTERM.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := &cli{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		return runServe(ctx, c, nil)
	}
	switch first := args[0]; {
	case first == "-h" || first == "-help" || first == "--help":
		return runHelp(ctx, c, nil)
	case len(first) > 0 && first[0] == '-':
		return runServe(ctx, c, args) // flags only: serve is the default
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			return cmd.run(ctx, c, args[1:])
		}
	}
	return usagef("", "unknown command %q; commands: %s", args[0], commandNames(""))
}

// commandNames lists the commands, in order, but skip.
func commandNames(skip string) string {
	var names []string
	for _, cmd := range commands {
		if cmd.name != skip {
			names = append(names, cmd.name)
		}
	}
	return strings.Join(names, ", ")
}

const overview = `mockserver serves the Open To Close and Spark APIs from their OpenAPI
documents, validating every request and response, with named scenarios and
an admin API under /__mock/. It serves any other OpenAPI 3.0 or 3.1 document too.

Usage:
  mockserver [command] [flags]

Commands:
`

const trailer = `
Examples:
  mockserver                                  serve both APIs on 127.0.0.1:8080
  mockserver serve --tls --mount spark=/      HTTPS, Spark's /v1/... at the root
  mockserver validate my-api.yaml             check a document before serving it
  mockserver diff old.yaml new.yaml           fail a build on a breaking change
  mockserver pact verify pacts/               verify consumers' pacts against the APIs

Run 'mockserver <command> --help' for a command's flags.
Exit status: 0 ok; 1 validation problems, a breaking change, a failed pact
interaction or a runtime error; 2 a usage error or unusable input.
`

func runHelp(ctx context.Context, c *cli, args []string) error {
	if len(args) > 0 {
		for _, cmd := range commands {
			if cmd.name == args[0] && cmd.name != "help" {
				return cmd.run(ctx, c, []string{"--help"})
			}
		}
		return usagef("help", "no command %q; commands: %s", args[0], commandNames("help"))
	}
	fmt.Fprint(c.stdout, overview)
	for _, cmd := range commands {
		fmt.Fprintf(c.stdout, "  %-9s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(c.stdout, trailer)
	return nil
}

func runVersion(_ context.Context, c *cli, args []string) error {
	fs := newFlagSet("version", "Usage: mockserver version\n\nPrints the version of this build.\n\nExample:\n  mockserver version\n")
	if err := fs.parse(c, args); err != nil {
		return helpOK(err)
	}
	if fs.NArg() > 0 {
		return usagef("version", "version takes no arguments; got %q", fs.Args())
	}
	fmt.Fprintf(c.stdout, "mockserver %s\n", version())
	return nil
}

// version is the module version the binary was built from, or "devel".
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return "devel"
	}
	return info.Main.Version
}
