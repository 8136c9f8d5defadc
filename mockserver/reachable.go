package mockserver

import (
	"net/http"
	"slices"

	"github.com/realestate-mocks/mockserver/spec"
)

// FailureKinds is implemented by a Behavior that says which failures it
// may answer with, so Reachable can tell which documented statuses the
// operation really produces.
type FailureKinds interface {
	FailureKinds() []spec.Kind
}

// Declare wraps a Behavior with the failure kinds it may answer.
func Declare(b Behavior, kinds ...spec.Kind) Behavior { return declared{b, kinds} }

type declared struct {
	Behavior
	kinds []spec.Kind
}

func (d declared) FailureKinds() []spec.Kind { return d.kinds }

// Reachable lists, ascending, the statuses this Server's pipeline can
// answer for an operation, step by step in the README's order: the
// statuses its document should list, no more, no fewer. It reads the
// same facts the pipeline does (405-only operations, pre-auth headers,
// security, x-roles and x-role-catalog, parameters and request body, the
// behaviour's declared failures, the scenarios' rules) and maps each
// failure kind through the document's x-error-envelope. A Prefer header
// can only pick documented statuses, so it adds nothing; the envelope's
// rateLimited and internal kinds are counted for every implemented
// operation, since scenario rules stand for the live service's rate
// limit and any answer can fail the response check. Nil when the API or
// operation is unknown.
func (s *Server) Reachable(api, operationID string) []int {
	m := s.byName[api]
	if m == nil || m.c.api.Operation(operationID) == nil {
		return nil
	}
	op := m.c.api.Operation(operationID)
	if op.NotImplemented {
		return []int{http.StatusMethodNotAllowed} // step 2 answers before anything else
	}
	var kinds []spec.Kind
	for _, step := range []func(*spec.API, *spec.Operation) []spec.Kind{precheckKinds, authKinds, roleKinds, requestKinds} {
		kinds = append(kinds, step(m.c.api, op)...)
	}
	kinds = append(kinds, spec.KindBadPrefer, spec.KindRateLimited, spec.KindInternal)
	if fk, ok := m.behavior(operationID).(FailureKinds); ok {
		kinds = append(kinds, fk.FailureKinds()...)
	}
	var statuses []int
	for _, k := range kinds {
		statuses = append(statuses, m.c.api.Envelope.Kinds[k].Status)
	}
	for _, status := range op.Statuses {
		if status < http.StatusBadRequest { // the answer step's own: behaviour, example or Prefer
			statuses = append(statuses, status)
		}
	}
	statuses = append(statuses, s.ruleStatuses(api, operationID)...)
	slices.Sort(statuses)
	return slices.Compact(statuses)
}

// precheckKinds is step 3.
func precheckKinds(_ *spec.API, op *spec.Operation) []spec.Kind {
	if len(op.PrecheckHeaders) == 0 {
		return nil
	}
	return []spec.Kind{spec.KindMissingHeader}
}

// authKinds is step 4: every secured operation can meet a missing,
// unknown or expired credential.
func authKinds(api *spec.API, op *spec.Operation) []spec.Kind {
	if api.Auth == nil || !op.Secured {
		return nil
	}
	return []spec.Kind{spec.KindUnauthenticated, spec.KindExpiredToken}
}

// roleKinds is step 5: a read-only role of the catalog writing, then a
// role of the catalog the operation does not serve (and that got past
// the first check).
func roleKinds(api *spec.API, op *spec.Operation) []spec.Kind {
	if len(op.Roles) == 0 {
		return nil
	}
	var kinds []spec.Kind
	write := isWrite(op.Method)
	for name, role := range api.Roles {
		switch {
		case write && !role.Writes:
			kinds = append(kinds, spec.KindReadOnlyRole)
		case !slices.Contains(op.Roles, name):
			kinds = append(kinds, spec.KindForbiddenRole)
		}
	}
	return kinds
}

// requestKinds is step 6: parameters that can break their schema, and a
// body that can be too large, of the wrong type, not JSON or invalid.
func requestKinds(_ *spec.API, op *spec.Operation) []spec.Kind {
	var kinds []spec.Kind
	if len(op.PathItem.Parameters)+len(op.Op.Parameters) > 0 {
		kinds = append(kinds, spec.KindInvalidParameter)
	}
	if op.Op.RequestBody != nil {
		kinds = append(kinds, spec.KindBodyTooLarge, spec.KindUnsupportedMediaType, spec.KindMalformedBody,
			spec.KindMissingField, spec.KindInvalidField)
	}
	return kinds
}

// ruleStatuses are the statuses the Server's scenarios' rules answer for
// the operation (step 7).
func (s *Server) ruleStatuses(api, operationID string) []int {
	var statuses []int
	for _, name := range s.set.Names() {
		sc, err := s.set.Get(name)
		if err != nil {
			continue
		}
		for _, rule := range sc.API(api).Rules {
			if rule.Operation == operationID && rule.Respond != nil {
				statuses = append(statuses, rule.Respond.Status)
			}
		}
	}
	return statuses
}
