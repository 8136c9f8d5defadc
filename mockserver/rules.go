package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/realestate-mocks/mockserver/fixtures"
)

// matchRule finds the first rule of the scenario that matches the request
// and still has uses left, and counts the use. The body is decoded only
// for the first rule that matches on it.
func matchRule(ex *exchange, part *fixtures.APIScenario, hits []atomic.Int64) (*fixtures.Rule, int) {
	var body any
	decoded := false
	for i := range part.Rules {
		rule := &part.Rules[i]
		if rule.Operation != ex.op.op.ID || !mapMatches(rule.PathParams, func(k string) string { return ex.params[k] }) ||
			!mapMatches(rule.Query, ex.r.URL.Query().Get) || !mapMatches(rule.Headers, ex.r.Header.Get) {
			continue
		}
		if len(rule.Body) > 0 {
			if !decoded {
				body, decoded = decodeJSON(ex.body), true
			}
			if !bodyMatches(rule.Body, body) {
				continue
			}
		}
		if n := hits[i].Add(1); rule.Times > 0 && n > int64(rule.Times) {
			continue
		}
		return rule, i
	}
	return nil, -1
}

// decodeJSON is the body as rules see it: nil when it is not JSON.
func decodeJSON(data []byte) any {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return nil
	}
	return v
}

func ruleName(rule *fixtures.Rule, index int) string {
	if rule.Name != "" {
		return rule.Name
	}
	return fmt.Sprintf("%s#%d", rule.Operation, index+1)
}

func mapMatches(want map[string]string, get func(string) string) bool {
	for k, v := range want {
		if get(k) != v {
			return false
		}
	}
	return true
}

// bodyMatches compares dotted paths ("D.Note") in the decoded body with
// the rule's values, both normalised through JSON so 1 and 1.0 agree.
func bodyMatches(want map[string]any, body any) bool {
	for path, v := range want {
		cur := body
		for _, key := range strings.Split(path, ".") {
			obj, ok := cur.(map[string]any)
			if !ok {
				return false
			}
			cur = obj[key]
		}
		if !reflect.DeepEqual(normalizeJSON(v), cur) {
			return false
		}
	}
	return true
}

func normalizeJSON(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(data, &out)
	return out
}

func ruleReply(ex *exchange, resp *fixtures.Response) *Reply {
	var reply *Reply
	switch {
	case resp.Example != "":
		reply = exampleReply(ex, resp.Status, resp.Example, false)
	case resp.Body != nil:
		reply = JSON(resp.Status, resp.Body)
	default:
		reply = Empty(resp.Status)
	}
	if reply.Header == nil {
		reply.Header = http.Header{}
	}
	for k, v := range resp.Headers {
		reply.Header.Set(k, v)
	}
	return reply
}
