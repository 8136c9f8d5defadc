package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/mockserver/crud"
	"github.com/realestate-mocks/mockserver/spec"
)

// loadAPIs returns the bundled APIs, each --spec added, or put in the
// place of the bundled API of the same name. Every bad document is
// reported, each problem with its file and line where one is known.
func loadAPIs(specs []pair) ([]*spec.API, error) {
	// Parsing the documents is most of a start: the bundled ones parse in
	// parallel (spec.Load keeps each result), then are taken in order.
	var wg sync.WaitGroup
	for _, name := range spec.Bundled() {
		wg.Go(func() { _, _ = spec.Load(name) })
	}
	wg.Wait()
	var apis []*spec.API
	at := map[string]int{}
	for _, name := range spec.Bundled() {
		api, err := spec.Load(name)
		if err != nil {
			return nil, fmt.Errorf("bundled spec %s: %w", name, err)
		}
		at[name] = len(apis)
		apis = append(apis, api)
	}
	var problems []string
	for _, p := range specs {
		api, err := spec.LoadFile(p.name, p.value)
		if err != nil {
			for _, problem := range specProblems(p.value, err) {
				problems = append(problems, fmt.Sprintf("--spec %s=%s: %s", p.name, p.value, problem))
			}
			continue
		}
		if i, ok := at[p.name]; ok {
			apis[i] = api
			continue
		}
		at[p.name] = len(apis)
		apis = append(apis, api)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("cannot start: fix the OpenAPI document:\n  %s", strings.Join(problems, "\n  "))
	}
	return apis, nil
}

// specProblems explains why spec.LoadFile refused a document: each
// problem at file:line:column where libopenapi can place it, otherwise the
// error itself, which names the file.
func specProblems(path string, err error) []string {
	var le *spec.LoadError
	if !errors.As(err, &le) || len(le.Problems) == 0 {
		return []string{err.Error()}
	}
	located := make([]string, len(le.Problems))
	for i, p := range le.Problems {
		located[i] = fmt.Sprintf("%s:%d:%d: %s", path, p.Line, p.Column, p.Message)
	}
	return located
}

// loadPacks returns the bundled packs and, for each --stateful name, the
// generic stateful pack over that --spec document.
func loadPacks(apis []*spec.API, stateful []string) ([]*mockserver.Pack, error) {
	packs, err := bundled.Packs()
	if err != nil {
		return nil, err
	}
	for _, name := range stateful {
		i := slices.IndexFunc(apis, func(a *spec.API) bool { return a.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("cannot start: --stateful %s: no such API is served", name)
		}
		p, err := crud.Pack(apis[i])
		if err != nil {
			return nil, fmt.Errorf("cannot start: --stateful %s: %w", name, err)
		}
		packs = slices.DeleteFunc(packs, func(b *mockserver.Pack) bool { return b.API.Name == name })
		packs = append(packs, p)
	}
	return packs, nil
}

// loadScenarios returns the bundled scenarios with those in dir, checked
// against apis and read with the packs' vocabularies. With no dir and only
// the bundled specs that is the shared bundled.Default().
func loadScenarios(dir string, apis []*spec.API, packs []*mockserver.Pack, customSpecs bool) (*fixtures.Set, error) {
	if dir == "" && !customSpecs {
		set, err := bundled.Default()
		if err != nil {
			return nil, fmt.Errorf("bundled scenarios: %w", err)
		}
		return set, nil
	}
	if dir != "" {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("cannot start: --fixtures %s: %w", dir, errors.Unwrap(err))
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("cannot start: --fixtures %s is not a directory of scenario *.yaml files", dir)
		}
	}
	byName := map[string]*spec.API{}
	for _, api := range apis {
		byName[api.Name] = api
	}
	set, err := bundled.Scenarios(fixtures.Options{Dir: dir, APIs: byName, Vocabularies: mockserver.Vocabularies(packs...)})
	if err != nil {
		where := "the bundled scenarios do not fit the --spec documents"
		if dir != "" {
			where = "--fixtures " + dir
		}
		return nil, fmt.Errorf("cannot start: %s: %w", where, err)
	}
	return set, nil
}

// fixtureProblems lists each problem of a fixtures.Load error on its own,
// as file:line: pointer: message.
func fixtureProblems(err error) []string {
	var out []string
	for _, leaf := range spec.Leaves(err) {
		var fe *fixtures.Error
		if errors.As(leaf, &fe) {
			out = append(out, fe.Error())
		}
	}
	if len(out) == 0 {
		return []string{err.Error()}
	}
	return out
}
