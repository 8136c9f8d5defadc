package spec

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// dialect2020 is JSON Schema 2020-12, the dialect kin-openapi validates
// OpenAPI 3.1 and 3.2 schemas with.
const dialect2020 = "https://json-schema.org/draft/2020-12/schema"

// checkVersion accepts the OpenAPI versions both libraries read: 3.0.x,
// 3.1.x and 3.2.x (kin-openapi validates the last two with JSON Schema
// 2020-12 semantics, libopenapi models all three).
func checkVersion(doc *openapi3.T) error {
	const served = "the versions served are OpenAPI 3.0.x, 3.1.x and 3.2.x (what kin-openapi and libopenapi both read)"
	switch {
	case doc.OpenAPI == "":
		return errors.New("no openapi field (a Swagger 2.0 document?): " + served)
	case !servedVersion(doc.OpenAPI):
		return fmt.Errorf("openapi %q: %s", doc.OpenAPI, served)
	}
	return checkDialect(doc.JSONSchemaDialect)
}

// servedVersion reports whether an openapi field names a version served.
func servedVersion(v string) bool {
	doc := &openapi3.T{OpenAPI: v}
	return doc.IsOpenAPI30() || doc.IsOpenAPI31OrLater()
}

// checkDialect refuses a jsonSchemaDialect the validator would not honour:
// its schemas would be read as 2020-12 whatever they were written in.
// The OpenAPI dialects (2020-12 plus the OpenAPI vocabulary) are 2020-12
// to a validator.
func checkDialect(dialect string) error {
	switch {
	case dialect == "", strings.TrimSuffix(dialect, "#") == dialect2020:
		return nil
	case strings.HasPrefix(dialect, "https://spec.openapis.org/oas/3.") && strings.Contains(dialect, "/dialect/"):
		return nil
	}
	return fmt.Errorf("jsonSchemaDialect %q: schemas are validated as JSON Schema 2020-12 only (%s, or an OpenAPI dialect such as https://spec.openapis.org/oas/3.1/dialect/base)", dialect, dialect2020)
}

// Webhook is one operation under a 3.1 document's webhooks: a call the
// API makes, not one it answers, so it is listed but never served.
type Webhook struct {
	Name, Method string
	ID           string // operationId, "" when none
}

// webhooks lists the document's webhooks by name, then method.
func webhooks(doc *openapi3.T) []Webhook {
	var out []Webhook
	for name, item := range doc.Webhooks {
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			out = append(out, Webhook{Name: name, Method: method, ID: op.OperationID})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return methodRank(out[i].Method) < methodRank(out[j].Method)
	})
	return out
}
