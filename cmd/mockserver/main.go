// Command mockserver serves the Open To Close and Spark APIs (and any other
// OpenAPI 3.0 or 3.1 document) as a validating, stateful mock, and checks, lists
// and compares the documents it serves.
//
//	mockserver serve --addr 127.0.0.1:8080 --scenario errors
//	mockserver validate my-api.yaml
//	mockserver routes --mount spark=/
//	mockserver diff old.yaml new.yaml
//	mockserver proxy --upstream spark=https://sparkapi.com/v1
//	mockserver pact verify pacts/
//
// main only wires signals and the process's exit status; everything else is
// run (commands.go), so tests drive the real wiring in process.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once, should a shutdown hang
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // validation problems, breaking changes, runtime errors
	exitUsage   = 2 // bad flags or arguments, or input that cannot be used
)

// errProblems is returned by a command that has already printed what is
// wrong (validate's problems, diff's breaking changes): the process exits
// 1 and prints nothing more.
var errProblems = errors.New("problems found")

// usageError is a mistake on the command line: exit 2, with a pointer to
// the command's help.
type usageError struct {
	cmd string // "serve", or "" for the top level
	err error
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, err: fmt.Errorf(format, args...)}
}

// exitCode maps run's error to the process's exit status, printing what
// the user needs to see.
func exitCode(err error, stderr io.Writer) int {
	var usage *usageError
	var input *inputError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errProblems):
		return exitFailure
	case errors.As(err, &input):
		fmt.Fprintf(stderr, "mockserver: %v\n", input.err)
		return exitUsage
	case errors.As(err, &usage):
		name := "mockserver"
		if usage.cmd != "" {
			name += " " + usage.cmd
		}
		fmt.Fprintf(stderr, "%s: %v\nRun '%s --help' for usage.\n", name, usage.err, name)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "mockserver: %v\n", err)
		return exitFailure
	}
}
