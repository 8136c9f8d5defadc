package main

import (
	"fmt"
	"slices"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// flagDef is a flag as every command that has it declares it: the
// environment variable that sets it when the command line does not, and
// its help.
type flagDef struct {
	name, env, usage string
}

// flagDefs is every flag of every command. A command declares a flag by
// its name alone (flagSet.str, .boolean, .value, ...), so a flag cannot
// be missing its variable or its help, and a name means one thing in
// every command that has it. A `word` in the help names the flag's
// argument, as flag.UnquoteUsage reads it. TestEveryFlagHasItsVariable
// checks that each is used, shown by --help and listed in the README.
var flagDefs = []flagDef{
	// serve and proxy; --spec, --mount, --stateful and --fixtures also
	// give routes, validate and pact verify their documents.
	{"addr", "MOCKSERVER_ADDR", "listen `address`; one that is not loopback needs --admin-token"},
	{"scenario", "MOCKSERVER_SCENARIO", "the `name` of the scenario active at start"},
	{"fixtures", "MOCKSERVER_FIXTURES", "a `dir`ectory of scenario *.yaml files, added to the bundled ones"},
	{"spec", "MOCKSERVER_SPEC", "an extra or replacement OpenAPI document, as `NAME=FILE`; repeatable"},
	{"stateful", "MOCKSERVER_STATEFUL", "keep records for the --spec API `NAME`s (comma-separated): POST creates, GET lists and reads, PUT/PATCH update, DELETE removes"},
	{"mount", "MOCKSERVER_MOUNT", "serve API NAME under `NAME=PREFIX` instead of /NAME; / is the root; repeatable"},
	{"strict", "MOCKSERVER_VALIDATION", "a response that breaks the spec becomes a 500 saying why (the default)"},
	{"lenient", "MOCKSERVER_VALIDATION", "a response that breaks the spec is sent, logged and flagged in " + mockserver.ViolationHeader},
	{"max-body", "MOCKSERVER_MAX_BODY", "the largest request body accepted (413 beyond), in `bytes`: 1048576, 512KiB, 1MiB"},
	{"store-limit", "MOCKSERVER_STORE_LIMIT", "the most `bytes` of records (as JSON) each API keeps; a write past it answers 413 in the API's envelope: 64MiB, 512MiB"},
	{"admin-token", "MOCKSERVER_ADMIN_TOKEN", "require Authorization: Bearer `token` on the admin API; prefer the env variable, which ps does not show"},
	{"log-format", "MOCKSERVER_LOG_FORMAT", "log `format` on stderr: text or json"},
	{"log-level", "MOCKSERVER_LOG_LEVEL", "log `level`: debug, info, warn or error"},
	{"tls", "MOCKSERVER_TLS", "serve HTTPS with a self-signed certificate made at start"},
	{"latency", "MOCKSERVER_LATENCY", "add this `duration` to every API call, on top of the scenario's (e.g. 250ms)"},
	{"watch", "MOCKSERVER_WATCH", "reload the --spec files and the --fixtures directory when they change, keeping the records"},
	{"stateless", "MOCKSERVER_STATELESS", "answer writes as usual but keep nothing they change: every request sees the scenario's records (for example-driven contract testers)"},
	{"cors", "MOCKSERVER_CORS", "let browser apps on other origins call the mock (answer preflights, add Access-Control-Allow-Origin)"},
	{"tls-cert-out", "MOCKSERVER_TLS_CERT_OUT", "write the self-signed certificate (PEM) to `file`, for clients to trust; implies --tls"},
	{"tls-cert", "MOCKSERVER_TLS_CERT", "serve HTTPS with the certificate in this PEM `file` (with --tls-key)"},
	{"tls-key", "MOCKSERVER_TLS_KEY", "the private key (PEM `file`) of --tls-cert"},
	{"state-file", "MOCKSERVER_STATE_FILE", "load records from this JSON `file` at start if it exists; save them there at shutdown and on POST /__mock/snapshot"},
	{"pact-state", "MOCKSERVER_PACT_STATE", "map a Pact provider state to the scenario POST /__mock/pact/state puts the mock in, as `STATE=SCENARIO`; repeatable; a state not mapped picks the scenario of its name, else default"},
	{"pact-out", "MOCKSERVER_PACT_OUT", "at shutdown, write a Pact 4.0 file of each API's calls (as GET /__mock/pact) to `dir`/CONSUMER-API.json; the directory is made if missing"},
	{"consumer", "MOCKSERVER_CONSUMER", "the consumer `name` of the pacts --pact-out writes"},
	{"shutdown-timeout", "MOCKSERVER_SHUTDOWN_TIMEOUT", "how long requests in flight may run after SIGINT/SIGTERM"},
	// connection limits (limits.go)
	{"read-timeout", "MOCKSERVER_READ_TIMEOUT", "how long a client may take to send a request's headers, and then its body (400 beyond)"},
	{"idle-timeout", "MOCKSERVER_IDLE_TIMEOUT", "how long an idle keep-alive connection stays open"},
	{"max-conns", "MOCKSERVER_MAX_CONNS", "the most connections open at once; more clients wait to be accepted"},
	{"memory-limit", "MOCKSERVER_MEMORY_LIMIT", "a soft limit on the process's memory, in `bytes` (the Go runtime collects harder near it): 80MiB, 1GiB; default GOMEMLIMIT or none"},
	// forwarding: proxy's --upstream is serve's --proxy (proxy.go)
	{"upstream", "MOCKSERVER_UPSTREAM", upstreamUsage},
	{"proxy", "MOCKSERVER_PROXY", upstreamUsage},
	{"upstream-timeout", "MOCKSERVER_UPSTREAM_TIMEOUT", "how long a forwarded call may take before it answers 504"},
	{"report", "MOCKSERVER_REPORT", "at shutdown, write the violations and coverage as JSON to `file`, and as JUnit XML beside it (.junit.xml)"},
	{"record", "MOCKSERVER_RECORD", "write the forwarded exchanges as a replayable scenario in this `dir`ectory, at shutdown"},
	{"record-name", "MOCKSERVER_RECORD_NAME", "the `name` of the recorded scenario (its file is <name>.yaml)"},
	{"fail-on-violation", "MOCKSERVER_FAIL_ON_VIOLATION", "exit 1 at shutdown when any forwarded call broke the spec"},
	// pact verify (pact.go)
	{"api", "MOCKSERVER_VERIFY_API", "verify every pact against the API `NAME`, whatever its provider.name"},
	{"target", "MOCKSERVER_VERIFY_TARGET", "replay against this base `URL` (a running mockserver or the real service) instead of an in-process mock"},
	{"header", "MOCKSERVER_VERIFY_HEADER", "send header `K=V` instead of the pact's value; repeatable"},
	{"query", "MOCKSERVER_VERIFY_QUERY", "send query parameter `K=V` instead of the pact's value; repeatable"},
	{"state", "MOCKSERVER_VERIFY_STATE", "provider state STATE runs scenario SCENARIO, as `STATE=SCENARIO`; repeatable"},
	{"json", "MOCKSERVER_VERIFY_JSON", "write the report as JSON to `file`"},
	{"junit", "MOCKSERVER_VERIFY_JUNIT", "write the report as JUnit XML to `file`, one test case per interaction"},
}

const upstreamUsage = "forward API NAME to the real service at `NAME=URL` (its base URL, such as https://sparkapi.com/v1); repeatable"

// lookupFlag is name's entry in flagDefs. A name missing there is a
// mistake in this program, found by the first test that runs the command.
func lookupFlag(name string) flagDef {
	i := slices.IndexFunc(flagDefs, func(d flagDef) bool { return d.name == name })
	if i < 0 {
		panic(fmt.Sprintf("flag --%s is not in flagDefs", name))
	}
	return flagDefs[i]
}
