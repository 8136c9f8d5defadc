package mockserver

import (
	"context"
	"net/http"
	"time"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// answer makes the reply to a call that passed every check: after the
// scenario's latency, the first matching rule; a Prefer header; the
// operation's behaviour; or the spec's examples.
func (s *Server) answer(ex *exchange) *Reply {
	ctx := ex.r.Context()
	if !s.replaying && !sleep(ctx, ex.part.Latency+s.opts.Latency) {
		return clientGone
	}
	if reply := s.ruleAnswer(ex); reply != nil {
		return reply
	}
	if reply := preferReply(ex); reply != nil {
		return reply
	}
	if b := ex.m.behavior(ex.op.op.ID); b != nil {
		store, err := s.callStore(ex.m, ex.r.Method)
		if err != nil {
			return Fail(spec.KindInternal, err.Error())
		}
		if reply := s.storeRoom(ex, store); reply != nil {
			return reply
		}
		return b.Serve(&Call{
			Request: ex.r, API: ex.m.c.api, Operation: ex.op.op, PathParams: ex.params,
			Principal: ex.principal, Body: ex.value, Store: store, Scenario: ex.part,
		})
	}
	return exampleReply(ex, ex.op.success, "", false)
}

// ruleAnswer applies the first matching rule: its latency, then its
// fault or its response; nil when no rule matches or the rule only delays.
func (s *Server) ruleAnswer(ex *exchange) *Reply {
	if len(ex.part.Rules) == 0 {
		return nil
	}
	rule, index := matchRule(ex, ex.part, ex.active.hits[ex.m.name])
	if rule == nil {
		return nil
	}
	ex.entry.Rule = ruleName(rule, index)
	ctx := ex.r.Context()
	if !sleep(ctx, rule.Latency) {
		return clientGone
	}
	switch rule.Fault {
	case fixtures.FaultHang:
		<-ctx.Done()
		panic(http.ErrAbortHandler)
	case fixtures.FaultClose:
		panic(http.ErrAbortHandler)
	}
	if rule.Respond != nil {
		return ruleReply(ex, rule.Respond)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
