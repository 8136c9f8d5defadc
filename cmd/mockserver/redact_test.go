package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
)

// The upstream URL's password reaches no artefact of a proxy run: the
// journal, the log (debug), the --report JSON and JUnit files and the
// --record recording, which is meant to be committed.
func TestProxyArtefactsRedactUpstreamPassword(t *testing.T) {
	const password = "s3cr3t-UPSTREAM-pw"
	up := mockservertest.New(t)
	withPassword := strings.Replace(up.HTTP.URL, "http://", "http://user:"+password+"@", 1)

	out := t.TempDir()
	reportFile, recordDir := filepath.Join(out, "report.json"), filepath.Join(out, "recorded")
	p := startInProcess(t, nil, "proxy", "--addr", "127.0.0.1:0", "--log-level", "debug",
		"--upstream", "spark="+withPassword+"/spark/v1", "--upstream", "opentoclose="+withPassword+"/opentoclose/v1",
		"--report", reportFile, "--record", recordDir, "--record-name", "live")
	spark, _, _ := strings.Cut(startupLines(t, p.stdout.String())["spark"], " ")
	root := strings.TrimSuffix(spark, "/spark/v1")
	if code, body := do(t, http.DefaultClient, "GET", root+"/spark/v1/listings/"+listingID+"/shared/notes", "", sparkHeaders(vowToken)); code != 200 {
		t.Fatalf("spark through the proxy: %d %s\nstderr:\n%s", code, body, p.stderr)
	}
	if code, body := do(t, http.DefaultClient, "GET", root+"/opentoclose/v1/properties/123/contacts?api_token="+otcToken, "", otcHeaders()); code != 200 {
		t.Fatalf("opentoclose through the proxy: %d %s", code, body)
	}
	_, journal := do(t, http.DefaultClient, "GET", root+"/__mock/requests", "", nil)
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	artefacts := map[string]string{"journal": journal, "stdout": p.stdout.String(), "log": p.stderr.String()}
	for _, dir := range []string{out, recordDir} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
				artefacts[e.Name()] = string(data)
			}
		}
	}
	for _, want := range []string{"report.json", "report.junit.xml", "live.yaml"} {
		if _, ok := artefacts[want]; !ok {
			t.Errorf("no %s among the artefacts", want)
		}
	}
	for name, text := range artefacts {
		if strings.Contains(text, password) {
			t.Errorf("%s holds the upstream password:\n%s", name, text)
		}
	}
	if !strings.Contains(artefacts["live.yaml"], "user:xxxxx@") {
		t.Errorf("the recording does not name the upstream redacted:\n%s", artefacts["live.yaml"])
	}
}
