package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/spec"
)

const validateHelp = `Usage: mockserver validate [--fixtures DIR] [FILE...]

With no FILE, checks the bundled OpenAPI documents and the bundled
scenarios, plus the scenarios in --fixtures. Each FILE is an OpenAPI 3.0,
3.1 or 3.2 document to check as serve --spec would load it (its API name is the file
name without extension); with --fixtures, the scenarios are checked
against those documents. Prints one "ok" line per thing checked and one
"FAIL" line per problem, with its file and line; exits 1 on any problem.

Examples:
  mockserver validate
  mockserver validate --fixtures ./scenarios
  mockserver validate petstore.yaml spark.yaml
`

func runValidate(_ context.Context, c *cli, args []string) error {
	fs := newFlagSet("validate", validateHelp)
	var dir string
	fs.str(&dir, "fixtures", "")
	if err := fs.parse(c, args); err != nil {
		return helpOK(err)
	}
	problems := 0
	fail := func(msg string) {
		problems++
		fmt.Fprintf(c.stdout, "FAIL  %s\n", msg)
	}
	ok := func(format string, args ...any) { fmt.Fprintf(c.stdout, "ok    "+format+"\n", args...) }

	apis := map[string]*spec.API{}
	if fs.NArg() == 0 {
		for _, name := range spec.Bundled() {
			api, err := spec.Load(name)
			if err != nil {
				fail(err.Error())
				continue
			}
			ok("spec %s (%s): %d operations", name, api.Source, len(api.Operations))
			apis[name] = api
		}
	}
	for _, path := range fs.Args() {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		api, err := spec.LoadFile(name, path)
		if err != nil {
			for _, p := range specProblems(path, err) {
				fail(p)
			}
			continue
		}
		ok("spec %s (%s): OpenAPI %s, %d operations%s", name, path, api.Doc.OpenAPI, len(api.Operations), webhookNote(api))
		apis[name] = api
	}
	if fs.NArg() == 0 || dir != "" {
		from := "bundled"
		if dir != "" {
			from += " and " + dir
		}
		set, err := bundled.Scenarios(fixtures.Options{Dir: dir, APIs: apis})
		if err != nil {
			for _, p := range fixtureProblems(err) {
				fail(p)
			}
		} else {
			ok("scenarios (%s): %s", from, strings.Join(set.Names(), ", "))
		}
	}
	if problems > 0 {
		fmt.Fprintf(c.stdout, "%d problem(s)\n", problems)
		return errProblems
	}
	return nil
}

const routesHelp = `Usage: mockserver routes [--spec NAME=FILE]... [--mount NAME=PREFIX]...

Lists every route serve would serve with the same flags (and environment):
its API, method, full path (mount prefix and base path included),
operationId, x-roles ("any" when the operation names none) and documented
statuses. A not-implemented operation documents only 405. A 3.1 document's
webhooks (calls the API makes, not ones it answers) follow its routes,
marked "not served".

Examples:
  mockserver routes
  mockserver routes --mount spark=/
  mockserver routes --spec pets=petstore.yaml
`

func runRoutes(_ context.Context, c *cli, args []string) error {
	specs, mounts := pairsValue{what: "FILE"}, pairsValue{what: "PREFIX"}
	fs := newFlagSet("routes", routesHelp)
	var dir string
	fs.value(&specs, "spec")
	fs.value(&mounts, "mount")
	fs.str(&dir, "fixtures", "")
	if err := fs.parse(c, args); err != nil {
		return helpOK(err)
	}
	if fs.NArg() > 0 {
		return usagef("routes", "routes takes no arguments, only flags; got %q", fs.Args())
	}
	apis, err := loadAPIs(specs.pairs)
	if err != nil {
		return err
	}
	packs, err := bundled.Packs()
	if err != nil {
		return err
	}
	set, err := loadScenarios(dir, apis, packs, len(specs.pairs) > 0)
	if err != nil {
		return err
	}
	srv, err := mockserver.New(mockserver.Options{Packs: packs, APIs: apis, Mounts: mounts.toMap(), Scenarios: set, JournalSize: -1})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "API\tMETHOD\tPATH\tOPERATION\tROLES\tSTATUSES")
	for _, name := range srv.APINames() {
		base := srv.BasePath(name)
		for _, op := range srv.API(name).Operations {
			id, roles := op.ID, strings.Join(op.Roles, ",")
			if id == "" {
				id = "-"
			}
			if roles == "" {
				roles = "any"
			}
			statuses := make([]string, len(op.Statuses))
			for i, s := range op.Statuses {
				statuses[i] = strconv.Itoa(s)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", name, op.Method, base+op.Path, id, roles, strings.Join(statuses, " "))
		}
		for _, w := range srv.API(name).Webhooks {
			fmt.Fprintf(tw, "%s\t%s\twebhook %s\t%s\t-\tnot served\n", name, w.Method, w.Name, cmp.Or(w.ID, "-"))
		}
	}
	return tw.Flush()
}

// webhookNote says how many webhooks a document lists, which are not
// served: a webhooks-only document serves nothing and should say why.
func webhookNote(api *spec.API) string {
	if n := len(api.Webhooks); n > 0 {
		return fmt.Sprintf(", %d webhook(s) (listed by routes, not served)", n)
	}
	return ""
}

const diffHelp = `Usage: mockserver diff OLD NEW

Compares two versions of an OpenAPI document with libopenapi's
what-changed rules and lists every change, breaking ones first, each with
the file and line it is at. Exits 1 when a change would break a client
written against OLD, 0 otherwise, 2 on a usage error.

Example:
  git show main:spec/spark.yaml > /tmp/old.yaml
  mockserver diff /tmp/old.yaml spec/spark.yaml
`

func runDiff(_ context.Context, c *cli, args []string) error {
	fs := newFlagSet("diff", diffHelp)
	if err := fs.parse(c, args); err != nil {
		return helpOK(err)
	}
	if fs.NArg() != 2 {
		return usagef("diff", "diff needs two files, OLD and NEW; got %d argument(s)", fs.NArg())
	}
	oldPath, newPath := fs.Arg(0), fs.Arg(1)
	oldDoc, err := os.ReadFile(oldPath)
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	newDoc, err := os.ReadFile(newPath)
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	report, err := spec.Diff(oldDoc, newDoc)
	if err != nil {
		msg := strings.NewReplacer("old document", "OLD "+oldPath, "new document", "NEW "+newPath).Replace(err.Error())
		return fmt.Errorf("%s", msg)
	}
	if len(report.Changes) == 0 {
		fmt.Fprintln(c.stdout, "no changes")
		return nil
	}
	if err := printChanges(c.stdout, report.Changes, oldPath, newPath); err != nil {
		return err
	}
	breaking := len(report.Breaking())
	fmt.Fprintf(c.stdout, "%d change(s), %d breaking\n", len(report.Changes), breaking)
	if breaking > 0 {
		return errProblems
	}
	return nil
}

// printChanges is one aligned line per change: BREAKING or not, the
// kind, the path, the values, and where in which file.
func printChanges(w io.Writer, changes []spec.Change, oldPath, newPath string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, ch := range changes {
		mark := ""
		if ch.Breaking {
			mark = "BREAKING"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", mark, ch.Kind, ch.Path, changeValues(ch), changePlace(ch, oldPath, newPath))
	}
	return tw.Flush()
}

func changeValues(ch spec.Change) string {
	switch {
	case ch.Old != "" && ch.New != "":
		return fmt.Sprintf("%q -> %q", ch.Old, ch.New)
	case ch.Old != "":
		return strconv.Quote(ch.Old)
	case ch.New != "":
		return strconv.Quote(ch.New)
	}
	return ""
}

func changePlace(ch spec.Change, oldPath, newPath string) string {
	switch {
	case ch.NewLine > 0 && ch.Kind != "removed":
		return fmt.Sprintf("%s:%d", newPath, ch.NewLine)
	case ch.OldLine > 0:
		return fmt.Sprintf("%s:%d", oldPath, ch.OldLine)
	}
	return ""
}
