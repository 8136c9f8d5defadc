package mockserver

import (
	"net/http"
	"slices"

	"github.com/realestate-mocks/mockserver/spec"
)

// reachable lists, ascending, the statuses this Server's pipeline can
// answer for an operation: the statuses its document should list, no
// more, no fewer. It walks the pipeline list, asking each step which of
// its failures a call to the operation can meet (step.reach), and maps
// each through the document's x-error-envelope; then adds the answer
// step's own statuses (documented ones under 400: behaviour, example or
// Prefer, which can only pick documented statuses) and the scenarios'
// rules. Nil when the API or operation is unknown.
func (s *Server) reachable(api, operationID string) []int {
	m := s.byName[api]
	if m == nil || m.c.api.Operation(operationID) == nil {
		return nil
	}
	op := m.c.api.Operation(operationID)
	if op.NotImplemented {
		return []int{http.StatusMethodNotAllowed} // the method step answers every call
	}
	var statuses []int
	for _, st := range pipeline {
		if st.reach == nil {
			continue
		}
		for _, k := range st.reach(m, op) {
			statuses = append(statuses, m.c.api.Envelope.Kinds[k].Status)
		}
	}
	for _, status := range op.Statuses {
		if status < http.StatusBadRequest {
			statuses = append(statuses, status)
		}
	}
	statuses = append(statuses, s.ruleStatuses(api, operationID)...)
	slices.Sort(statuses)
	return slices.Compact(statuses)
}

// precheckKinds: an operation with x-checked-before-auth headers.
func precheckKinds(_ *mounted, op *spec.Operation) []spec.Kind {
	if len(op.PrecheckHeaders) == 0 {
		return nil
	}
	return []spec.Kind{spec.KindMissingHeader}
}

// authKinds: every secured operation can meet a missing, unknown or
// expired credential.
func authKinds(m *mounted, op *spec.Operation) []spec.Kind {
	if m.c.api.Auth == nil || !op.Secured {
		return nil
	}
	return []spec.Kind{spec.KindUnauthenticated, spec.KindExpiredToken}
}

// roleKinds: a read-only role of the catalog writing, then a role of the
// catalog the operation does not serve (and that got past the first
// check).
func roleKinds(m *mounted, op *spec.Operation) []spec.Kind {
	if len(op.Roles) == 0 {
		return nil
	}
	var kinds []spec.Kind
	write := isWrite(op.Method)
	for name, role := range m.c.api.Roles {
		switch {
		case write && !role.Writes:
			kinds = append(kinds, spec.KindReadOnlyRole)
		case !slices.Contains(op.Roles, name):
			kinds = append(kinds, spec.KindForbiddenRole)
		}
	}
	return kinds
}

// validateKinds: parameters that can break their schema, and a body that
// can be too large, of the wrong type, not JSON or invalid.
func validateKinds(_ *mounted, op *spec.Operation) []spec.Kind {
	return requestKinds(len(op.PathItem.Parameters)+len(op.Op.Parameters) > 0, op.Op.RequestBody != nil)
}

func requestKinds(params, body bool) []spec.Kind {
	var kinds []spec.Kind
	if body {
		kinds = append(kinds, spec.KindBodyTooLarge, spec.KindUnsupportedMediaType, spec.KindMalformedBody,
			spec.KindMissingField, spec.KindInvalidField)
	}
	if params {
		kinds = append(kinds, spec.KindInvalidParameter)
	}
	return kinds
}

// answerKinds: a Prefer header asking for the undocumented, rules
// standing for the live service's rate limit, the response check (any
// answer can fail it), a write meeting a full store, and what the
// operation's behaviour declares.
func answerKinds(m *mounted, op *spec.Operation) []spec.Kind {
	kinds := []spec.Kind{spec.KindBadPrefer, spec.KindRateLimited, spec.KindInternal}
	b := m.behavior(op.ID)
	if b != nil && m.newStore != nil && isWrite(op.Method) && op.Method != http.MethodDelete {
		kinds = append(kinds, spec.KindStoreFull)
	}
	if fk, ok := b.(failureKinds); ok {
		kinds = append(kinds, fk.FailureKinds()...)
	}
	return kinds
}

// ruleStatuses are the statuses the Server's scenarios' rules answer for
// the operation.
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
