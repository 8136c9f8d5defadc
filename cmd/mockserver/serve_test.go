package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitFor polls cond until it holds, failing the test after 10s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// inProcess is a serve running in this test's process through run.
type inProcess struct {
	stdout, stderr *lockedBuffer
	cancel         context.CancelFunc
	done           chan error
}

// startInProcess runs serve until the test ends or stop is called, and
// returns once it has printed its start-up lines.
func startInProcess(t *testing.T, env map[string]string, args ...string) *inProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &inProcess{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, cancel: cancel, done: make(chan error, 1)}
	go func() { p.done <- run(ctx, args, getenvFrom(env), p.stdout, p.stderr) }()
	t.Cleanup(func() {
		cancel()
		<-p.done
	})
	waitFor(t, "the start-up lines", func() bool {
		select {
		case err := <-p.done:
			t.Fatalf("serve returned before starting: %v\nstderr:\n%s", err, p.stderr)
		default:
		}
		return strings.Contains(p.stdout.String(), "__mock/ui/\n")
	})
	return p
}

// stop cancels the context, as SIGTERM does, and returns run's error.
func (p *inProcess) stop(t *testing.T) error {
	t.Helper()
	p.cancel()
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not return after its context was cancelled")
		return nil
	}
}

// startupLines parses "name  URL" lines into a map.
func startupLines(t *testing.T, stdout string) map[string]string {
	t.Helper()
	urls := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if len(line) < 13 || line[12] != ' ' {
			t.Fatalf("start-up line %q is not a 12-column name and a URL", line)
		}
		name, url := strings.TrimSpace(line[:12]), line[13:]
		urls[name] = url
	}
	return urls
}

func do(t *testing.T, client *http.Client, method, url, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

const (
	listingID   = "20100815153524571646000000"
	portalToken = "spark-portal-token" // contact 20100912153422758914000000, no note yet
)

func sparkHeaders(token string) map[string]string {
	return map[string]string{
		"Authorization":         "OAuth " + token,
		"X-SparkApi-User-Agent": "mockserver cmd tests",
		"Content-Type":          "application/json",
	}
}

// The wiring in process: flags and environment, start-up lines, logs,
// the admin token, snapshots and the save at shutdown.
func TestServeInProcess(t *testing.T) {
	dir := t.TempDir()
	stateFile := filepath.Join(dir, "state.json")
	p := startInProcess(t,
		map[string]string{"MOCKSERVER_LOG_FORMAT": "json", "MOCKSERVER_ADMIN_TOKEN": "secret", "MOCKSERVER_ADDR": "127.0.0.1:1"},
		"serve", "--addr", "127.0.0.1:0", "--mount", "spark=/", "--state-file", stateFile)

	urls := startupLines(t, p.stdout.String())
	if len(urls) != 4 || urls["dashboard"] != urls["admin"]+"ui/" {
		t.Fatalf("start-up lines:\n%s", p.stdout)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(urls["admin"], "http://"), "/__mock/")
	if _, port, err := net.SplitHostPort(host); err != nil || port == "0" || port == "1" {
		t.Fatalf("admin URL %q does not carry the port listened on", urls["admin"])
	}
	root := "http://" + host
	if urls["opentoclose"] != root+"/opentoclose/v1" || urls["spark"] != root+"/v1" {
		t.Errorf("start-up lines:\n%s", p.stdout)
	}

	client := &http.Client{Timeout: 10 * time.Second}
	if code, _ := do(t, client, "GET", urls["admin"]+"health", "", nil); code != http.StatusUnauthorized {
		t.Errorf("admin without the token: %d", code)
	}
	admin := map[string]string{"Authorization": "Bearer secret", "Content-Type": "application/json"}
	if code, body := do(t, client, "GET", urls["admin"]+"health", "", admin); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("health: %d %s", code, body)
	}

	notes := urls["spark"] + "/listings/" + listingID + "/shared/notes"
	if code, body := do(t, client, "PUT", notes, `{"D":{"Note":"In-process note"}}`, sparkHeaders(portalToken)); code != 200 {
		t.Fatalf("PUT note: %d %s", code, body)
	}
	if code, body := do(t, client, "POST", urls["admin"]+"snapshot", "", admin); code != 200 {
		t.Fatalf("snapshot: %d %s", code, body)
	}
	if data, err := os.ReadFile(stateFile); err != nil || !strings.Contains(string(data), "In-process note") {
		t.Errorf("state file after the snapshot: %v\n%s", err, data)
	}
	if code, body := do(t, client, "PUT", notes, `{"D":{"Note":"Changed after the snapshot"}}`, sparkHeaders(portalToken)); code != 200 {
		t.Fatalf("PUT note: %d %s", code, body)
	}

	if err := p.stop(t); err != nil {
		t.Fatalf("serve after cancel: %v\nstderr:\n%s", err, p.stderr)
	}
	data, err := os.ReadFile(stateFile)
	if err != nil || !strings.Contains(string(data), "Changed after the snapshot") {
		t.Errorf("state file after shutdown: %v\n%s", err, data)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	var sawRequest, sawSaved bool
	for _, line := range strings.Split(strings.TrimSpace(p.stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		sawRequest = sawRequest || rec["msg"] == "request"
		sawSaved = sawSaved || rec["msg"] == "state saved"
	}
	if !sawRequest || !sawSaved {
		t.Errorf("logs lack a request line or a state-saved line:\n%s", p.stderr)
	}
}

// A serve without --state-file answers the snapshot 501 and says why.
func TestServeSnapshotWithoutStateFile(t *testing.T) {
	p := startInProcess(t, nil, "serve", "--addr", "127.0.0.1:0", "--log-level", "error")
	urls := startupLines(t, p.stdout.String())
	code, body := do(t, &http.Client{Timeout: 10 * time.Second}, "POST", urls["admin"]+"snapshot", "", map[string]string{"X-Mock-Admin": "1"})
	if code != http.StatusNotImplemented || !strings.Contains(body, "--state-file") {
		t.Errorf("snapshot: %d %s", code, body)
	}
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	if p.stderr.String() != "" {
		t.Errorf("--log-level error still logged:\n%s", p.stderr)
	}
}

func TestSelfSigned(t *testing.T) {
	now := time.Now()
	for host, extra := range map[string]string{"": "", "0.0.0.0": "", "192.168.1.10": "192.168.1.10", "mock.internal": "mock.internal", "localhost": ""} {
		cert, certPEM, err := selfSigned(host, now)
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(certPEM)
		if block == nil || block.Type != "CERTIFICATE" {
			t.Fatalf("PEM: %q", certPEM)
		}
		pool := x509.NewCertPool()
		pool.AddCert(cert.Leaf)
		names := []string{"127.0.0.1", "::1", "localhost"}
		if extra != "" {
			names = append(names, extra)
		}
		for _, name := range names {
			if _, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool, CurrentTime: now}); err != nil {
				t.Errorf("host %q: certificate does not verify for %s: %v", host, name, err)
			}
		}
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool, CurrentTime: now}); err == nil {
			t.Errorf("host %q: certificate verifies for example.com", host)
		}
	}
}

// --tls-cert and --tls-key serve HTTPS with the user's certificate.
func TestServeTLSCertFiles(t *testing.T) {
	dir := t.TempDir()
	cert, certPEM, err := selfSigned("127.0.0.1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}

	p := startInProcess(t, map[string]string{"MOCKSERVER_TLS_CERT": certFile, "MOCKSERVER_TLS_KEY": keyFile},
		"serve", "--addr", "127.0.0.1:0", "--log-level", "warn")
	urls := startupLines(t, p.stdout.String())
	if !strings.HasPrefix(urls["admin"], "https://127.0.0.1:") {
		t.Fatalf("start-up lines:\n%s", p.stdout)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if code, body := do(t, client, "GET", urls["admin"]+"health", "", nil); code != 200 {
		t.Errorf("health over HTTPS: %d %s", code, body)
	}
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, nil, "serve", "--addr", "127.0.0.1:0", "--tls-cert", filepath.Join(dir, "nope.pem"), "--tls-key", keyFile)
	if r.code != 1 {
		t.Fatalf("a missing --tls-cert: %s", r)
	}
	assertContains(t, "stderr", r.stderr, "--tls-cert "+filepath.Join(dir, "nope.pem"), "no such file")
}

// --watch reloads a changed scenario file without a restart, keeps the
// records written meanwhile, and keeps serving the previous version when
// the edit does not load.
func TestServeWatch(t *testing.T) {
	dir := t.TempDir()
	scenario := filepath.Join(dir, "team.yaml")
	write := func(body string) {
		t.Helper()
		// Each version has another size, so the change shows even within
		// one modification-time tick.
		if err := os.WriteFile(scenario, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("extends: default\napis:\n  opentoclose:\n    principals:\n      first-token: {}\n")
	port := freePort(t)
	base := "http://127.0.0.1:" + port + "/opentoclose/v1/properties/123/contacts"
	p := startInProcess(t, nil, "serve", "--addr", "127.0.0.1:"+port, "--fixtures", dir, "--scenario", "team", "--watch")
	status := func(token string) int {
		resp, err := http.Get(base + "?api_token=" + token)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("first-token"); got != 200 {
		t.Fatalf("first-token: %d", got)
	}
	resp, err := http.Post(base+"?api_token=first-token", "application/json", strings.NewReader(`{"contact_id": 9001}`))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %v %v", resp, err)
	}
	resp.Body.Close()

	write("extends: default\napis:\n  opentoclose:\n    principals:\n      second-token-after-the-edit: {}\n")
	waitFor(t, "the edited scenario to be served", func() bool { return status("second-token-after-the-edit") == 200 })
	resp, err = http.Get(base + "/9001?api_token=second-token-after-the-edit")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("the record written before the reload is gone: %d", resp.StatusCode)
	}

	write("extends: no-such-scenario\n")
	waitFor(t, "the broken edit to be refused", func() bool { return strings.Contains(p.stderr.String(), "reload refused") })
	if got := status("second-token-after-the-edit"); got != 200 {
		t.Errorf("a broken edit replaced the working version: %d", got)
	}
}
