package main

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/junit"
)

// The proxy binary in front of an upstream binary: both contract suites
// pass through it, the upstream's answers break no rule, and SIGTERM
// writes the report, the JUnit XML and a recording that validates.
func TestEndToEndProxy(t *testing.T) {
	client := &http.Client{Timeout: 10 * time.Second}
	upPort, pxPort := freePort(t), freePort(t)
	upRoot, pxRoot := "http://127.0.0.1:"+upPort, "http://127.0.0.1:"+pxPort
	up := start(t, "serve", "--addr", "127.0.0.1:"+upPort)
	up.waitHealthy(t, client, upRoot)

	out := t.TempDir()
	reportFile, recordDir := filepath.Join(out, "report.json"), filepath.Join(out, "recorded")
	px := start(t, "proxy", "--addr", "127.0.0.1:"+pxPort,
		"--upstream", "spark="+upRoot+"/spark/v1", "--upstream", "opentoclose="+upRoot+"/opentoclose/v1",
		"--report", reportFile, "--record", recordDir, "--record-name", "live")
	px.waitHealthy(t, client, pxRoot)

	if os.Getenv("MOCKSERVER_E2E_CONTRACTS") == "" {
		// Compiling the suites takes minutes on a busy machine: make
		// e2e sets the variable; here a few calls stand in for them.
		sparkCall := map[string]string{"Authorization": "OAuth " + vowToken, "X-SparkApi-User-Agent": "e2e"}
		if code, body := do(t, client, "GET", pxRoot+"/spark/v1/listings/"+listingID+"/shared/notes", "", sparkCall); code != 200 {
			t.Fatalf("spark through the proxy: %d %s", code, body)
		}
		if code, body := do(t, client, "GET", pxRoot+"/opentoclose/v1/properties/123/contacts?api_token="+otcToken, "", otcHeaders()); code != 200 {
			t.Fatalf("opentoclose through the proxy: %d %s", code, body)
		}
	} else {
		suites := exec.Command("go", "test", "-count=1", "./contracts/...")
		suites.Dir = filepath.Join("..", "..")
		suites.Env = append(os.Environ(),
			"CONTRACT_SPARK_URL="+pxRoot+"/spark/v1", "CONTRACT_OPENTOCLOSE_URL="+pxRoot+"/opentoclose/v1")
		if b, err := suites.CombinedOutput(); err != nil {
			t.Fatalf("contract suites through the proxy: %v\n%s", err, b)
		}
	}

	code, body := do(t, client, "GET", pxRoot+"/__mock/violations", "", nil)
	var live mockserver.ViolationReport
	if err := json.Unmarshal([]byte(body), &live); code != 200 || err != nil {
		t.Fatalf("violations: %d %s", code, body)
	}
	for _, g := range live.Groups {
		if strings.HasPrefix(g.Rule, "response:") {
			t.Errorf("the upstream (the mock) broke %s on %s: %+v", g.Rule, g.Operation, g.First)
		}
	}
	px.stop(t)

	raw, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatalf("no report after SIGTERM: %v", err)
	}
	var rep report
	if err := json.Unmarshal(raw, &rep); err != nil || len(rep.Coverage.APIs) != 2 || rep.Violations.Total != live.Total {
		t.Errorf("report: %v\n%s", err, raw)
	}
	for _, a := range rep.Coverage.APIs {
		if a.CoveredOperations == 0 {
			t.Errorf("report: no operation of %s covered", a.API)
		}
	}
	xmlRaw, err := os.ReadFile(strings.TrimSuffix(reportFile, ".json") + ".junit.xml")
	var suitesXML junit.Suites
	if err != nil || xml.Unmarshal(xmlRaw, &suitesXML) != nil || len(suitesXML.Suites) != 2 {
		t.Errorf("JUnit report: %v\n%s", err, xmlRaw)
	}
	validate := exec.Command(binary(t), "validate", "--fixtures", recordDir)
	if b, err := validate.CombinedOutput(); err != nil || !strings.Contains(string(b), "live") {
		t.Errorf("mockserver validate of the recording: %v\n%s", err, b)
	}
}
