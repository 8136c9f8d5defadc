package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/pact"
	"github.com/realestate-mocks/mockserver/spec"
)

// Options say what a pact is verified against.
type Options struct {
	// APIs are the documents a pact's provider name picks from.
	APIs []*spec.API
	// API, when set, is the API every pact is verified against, whatever
	// its provider is called.
	API string
	// NewMock builds the in-process mock the requests are replayed
	// against when there is no Target; it is called once per Verify.
	NewMock func() (*mockserver.Server, error)
	// Target is the base URL of a running mockserver or of the real
	// service; the pact's paths are appended to it.
	Target string
	// AdminToken is sent to a target mockserver's admin API.
	AdminToken string
	// Header and Query replace the values of the same names the pact's
	// requests carry (real credentials for a real service).
	Header http.Header
	Query  url.Values
	// Timeout bounds each request to the target; 0 means 30s.
	Timeout time.Duration
	// Now is the time date generators start from; nil means time.Now.
	Now func() time.Time
}

// ErrUnknownAPI is wrapped by the error for a pact whose provider is not
// a served API (and no Options.API was given).
var ErrUnknownAPI = errors.New("unknown API")

// APIFor finds the API a pact is verified against: Options.API, else
// the API named like the pact's provider.
func (o *Options) APIFor(f *pact.File) (*spec.API, error) {
	name, why := o.API, "--api"
	if name == "" {
		name, why = f.Provider, "the pact's provider.name"
	}
	for _, api := range o.APIs {
		if api.Name == name {
			return api, nil
		}
	}
	served := make([]string, len(o.APIs))
	for i, api := range o.APIs {
		served[i] = api.Name
	}
	slices.Sort(served)
	return nil, fmt.Errorf("%w %q (%s): served APIs are %s; name one with --api", ErrUnknownAPI, name, why, strings.Join(served, ", "))
}

// Verify checks every interaction of the pacts, statically and by
// replay, in order. The error is for input that cannot be verified at
// all (an unknown API) or a provider that cannot be reached or built;
// everything an interaction gets wrong is in the Report.
func Verify(ctx context.Context, files []*pact.File, opts Options) (*Report, error) {
	apis := make([]*spec.API, len(files))
	for i, f := range files {
		api, err := opts.APIFor(f)
		if err != nil {
			return nil, fmt.Errorf("pact %d (%s → %s): %w", i+1, f.Consumer, f.Provider, err)
		}
		apis[i] = api
	}
	var p *provider
	report := &Report{OK: true, Interactions: []Result{}}
	for i, f := range files {
		for _, it := range f.Interactions {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("verification stopped: %w", err)
			}
			res := Result{Consumer: f.Consumer, Provider: f.Provider, Description: it.Description, Skipped: it.Skip, Pending: it.Pending, Problems: []Problem{}}
			if it.Skip == "" {
				if p == nil {
					var err error
					if p, err = newProvider(ctx, opts, report); err != nil {
						return nil, err
					}
				}
				res.Problems = append(res.Problems, verifyInteraction(ctx, p, apis[i], &it)...)
			}
			res.OK = len(res.Problems) == 0
			if !res.OK && !res.Pending {
				report.OK = false
			}
			report.Interactions = append(report.Interactions, res)
		}
	}
	return report, nil
}

// verifyInteraction runs both checks; the replay runs even when the
// static check failed, so both are reported.
func verifyInteraction(ctx context.Context, p *provider, api *spec.API, it *pact.Interaction) []Problem {
	st := checkStatic(ctx, api, it)
	return append(st.problems, p.replay(ctx, api, it, st.path)...)
}
