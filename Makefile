# Every target works on a fresh machine with Go 1.26: modules come from the
# Go module proxy on first use.
GO        ?= go
PKGS      := ./...
BIN       := bin/mockserver
ARGS      ?=

.PHONY: help run build test test-ui lint tracked-check vet fmt-check tidy tidy-check bench bench-load bench-rss wrk contracts e2e soak fuzz interop test-pact clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

run: ## serve both APIs on 127.0.0.1:8080 with the default scenario
	$(GO) run ./cmd/mockserver serve $(ARGS)

build: ## build the binary into bin/
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/mockserver

test: vet ## vet, then every test with the race detector
	$(GO) mod download
	$(GO) test -race -count=1 $(PKGS)

test-ui: ## browser tests of the dashboard in headless Chromium (needs the chromium package); refreshes mockserver/dashboard/img/
	$(GO) test -race -count=1 -tags browser -run Browser ./mockserver/dashboard/

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint: fmt-check tidy-check vet tracked-check ## gofmt and go mod tidy checks, go vet and staticcheck
	$(GO) run $(STATICCHECK) $(PKGS)

tracked-check: ## fail on any tracked file over 1 MB or any tracked executable binary (build outputs belong in .gitignore)
	@big=$$(git ls-files -z | xargs -0 -r stat -c '%s %n' | awk '$$1 > 1048576 {print $$2}'); \
	bin=$$(git ls-files -z | xargs -0 -r grep -l -m1 -P '^\x7fELF' 2>/dev/null); \
	if [ -n "$$big$$bin" ]; then echo "tracked build outputs or large files (git rm --cached them):"; echo "$$big $$bin"; exit 1; fi

tidy-check: ## fail when go mod tidy would change go.mod or go.sum
	@$(GO) mod tidy -diff || { echo "go mod tidy would change go.mod/go.sum: run make tidy"; exit 1; }

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

tidy: ## go mod tidy
	$(GO) mod tidy

bench: ## handler benchmarks, validation on, as ratios against a bare net/http handler from the same run; spec loading, 3.1 as a ratio of its 3.0 twin
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCH_COUNT) ./mockserver/ ./spec/ | tee bench.out
	@awk -f .ci/bench-ratios.awk bench.out

BENCH_COUNT ?= 5

bench-load: build wrk ## the built binary (defaults, and --log-level warn) under wrk against a bare net/http server, as ratios; about 2 minutes
	$(GO) run ./cmd/loadtest -bin $(BIN) $(ARGS)

bench-rss: build wrk ## bench-load, then a million requests of the mix on the mock (defaults) alone, reading its RSS every 100 000 (about 3 minutes)
	$(GO) run ./cmd/loadtest -bin $(BIN) -soak 1000000 -deadline 10m $(ARGS)

# wrk is bench-load's load generator: a Debian package.
wrk:
	@command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)

contracts: ## Ginkgo contract suites against the in-process mock (CONTRACT_SPARK_URL, CONTRACT_OPENTOCLOSE_URL for another backend)
	$(GO) test -race -count=1 ./contracts/...

e2e: ## the contract suites through the proxy binary in front of an upstream binary (slow: compiles the suites)
	MOCKSERVER_E2E_CONTRACTS=1 $(GO) test -count=1 -run 'TestEndToEndProxy' ./cmd/mockserver/

FUZZTIME ?= 30s

soak: ## opt-in, about 2 minutes: the binary under writers and readers with 2 000 stalled connections and 1 MB headers; p99, peak RSS, nothing lost across SIGTERM
	MOCKSERVER_SOAK=1 $(GO) test -count=1 -v -run '^TestSoak$$' -timeout 5m ./cmd/mockserver/

fuzz: ## bounded fuzz runs (FUZZTIME each, default 30s): the request pipeline, the state-file loader, the dashboard's Copy as curl, crud's nested collections
	$(GO) test -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(FUZZTIME) ./mockserver/
	$(GO) test -run '^$$' -fuzz '^FuzzRestoreState$$' -fuzztime $(FUZZTIME) ./mockserver/
	$(GO) test -run '^$$' -fuzz '^FuzzCurl$$' -fuzztime $(FUZZTIME) ./mockserver/dashboard/
	$(GO) test -run '^$$' -fuzz '^FuzzNestedPaths$$' -fuzztime $(FUZZTIME) ./mockserver/crud/

test-pact: build ## mockserver against the Pact toolchain: pact-js consumer tests, pact verify, the official Verifier, openapi-pact-comparator; prints the comparison table (npm packages into .pact/)
	BIN=$(BIN) bash .ci/test-pact

interop: ## Spectral, Redocly and Specmatic on both specs and the 3.1 test document, and against serve --stateless (npm tools into .interop/; needs Java 17)
	bash .ci/interop

clean:
	rm -rf bin .interop .pact
