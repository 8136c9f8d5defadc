package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
)

// binDir holds the binary the end-to-end tests build once.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mockserver-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var build = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "mockserver")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// binary returns the built mockserver, skipping in -short mode.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: builds and runs the binary")
	}
	bin, err := build()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// freePort returns a port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// process is a running mockserver binary.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr *lockedBuffer
	done           chan struct{}
	err            error // cmd.Wait's, once done is closed
}

// start runs the binary with args, with no MOCKSERVER_* variables from the
// test's environment; it is killed when the test ends, if still running.
func start(t *testing.T, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(binary(t), args...), stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MOCKSERVER_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("mockserver %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), p.stdout, p.stderr)
		}
	})
	return p
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitHealthy polls GET /__mock/health until it answers 200.
func (p *process) waitHealthy(t *testing.T, client *http.Client, root string) {
	t.Helper()
	waitFor(t, root+"/__mock/health", func() bool {
		if p.exited() {
			t.Fatalf("mockserver exited before it was healthy: %v\nstderr:\n%s", p.err, p.stderr)
		}
		resp, err := client.Get(root + "/__mock/health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// stop sends SIGTERM and requires exit status 0.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		t.Fatal("mockserver did not exit after SIGTERM")
	}
	if p.err != nil {
		var exit *exec.ExitError
		if errors.As(p.err, &exit) {
			t.Fatalf("mockserver exited %d after SIGTERM, want 0", exit.ExitCode())
		}
		t.Fatal(p.err)
	}
}

const (
	otcToken = "otc-demo-token"
	vowToken = "spark-vow-token" // contact 20100912536192756362000000, who has the hot-tub note
)

func otcHeaders() map[string]string {
	return map[string]string{"Accept": "application/json", "Content-Type": "application/json", "User-Agent": "open-to-close-python-client/1.0.0"}
}

// The binary serves both APIs and the admin API, stops on SIGTERM with
// exit 0, saves its records to --state-file and loads them back.
func TestEndToEndStateFile(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	client := &http.Client{Timeout: 10 * time.Second}
	const newNote = "End-to-end: is the hot tub staying?"

	port := freePort(t)
	root := "http://127.0.0.1:" + port
	p := start(t, "serve", "--addr", "127.0.0.1:"+port, "--state-file", stateFile)
	p.waitHealthy(t, client, root)
	wantLines := fmt.Sprintf("opentoclose  %[1]s/opentoclose/v1\nspark        %[1]s/spark/v1\nadmin        %[1]s/__mock/\ndashboard    %[1]s/__mock/ui/\n", root)
	if got := p.stdout.String(); got != wantLines {
		t.Errorf("start-up lines:\n%s\nwant:\n%s", got, wantLines)
	}

	contacts := root + "/opentoclose/v1/properties/123/contacts?api_token=" + otcToken
	if code, body := do(t, client, "GET", contacts, "", otcHeaders()); code != 200 || !strings.Contains(body, `"contact_id":456`) {
		t.Fatalf("list contacts of 123: %d %s", code, body)
	}
	if code, body := do(t, client, "POST", contacts, `{"contact_id":101}`, otcHeaders()); code != 201 || !strings.Contains(body, `"contact_id":101`) {
		t.Fatalf("create contact 101 on 123: %d %s", code, body)
	}
	notes := root + "/spark/v1/listings/" + listingID + "/shared/notes"
	if code, body := do(t, client, "PUT", notes, fmt.Sprintf(`{"D":{"Note":%q}}`, newNote), sparkHeaders(vowToken)); code != 200 || !strings.Contains(body, "ResourceUri") {
		t.Fatalf("PUT note: %d %s", code, body)
	}
	if code, body := do(t, client, "GET", notes, "", sparkHeaders(vowToken)); code != 200 || !strings.Contains(body, newNote) {
		t.Fatalf("GET note back: %d %s", code, body)
	}
	if code, body := do(t, client, "GET", root+"/__mock/state", "", nil); code != 200 || !strings.Contains(body, `"contact_id":101`) || !strings.Contains(body, newNote) {
		t.Errorf("admin state: %d %s", code, body)
	}
	var journal struct {
		Requests []json.RawMessage `json:"requests"`
	}
	if code, body := do(t, client, "GET", root+"/__mock/requests", "", nil); code != 200 || json.Unmarshal([]byte(body), &journal) != nil || len(journal.Requests) == 0 {
		t.Errorf("admin requests: %d %s", code, body)
	}

	p.stop(t)
	data, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	var saved map[string]json.RawMessage
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatalf("state file: %v\n%s", err, data)
	}
	if s := string(saved["opentoclose"]); !strings.Contains(strings.Join(strings.Fields(s), ""), `"contact_id":101`) {
		t.Errorf("state file lacks contact 101:\n%s", data)
	}
	if !strings.Contains(string(saved["spark"]), newNote) {
		t.Errorf("state file lacks the new note:\n%s", data)
	}

	// Again, on another port, from the state file.
	port = freePort(t)
	root = "http://127.0.0.1:" + port
	p = start(t, "serve", "--addr", "127.0.0.1:"+port, "--state-file", stateFile)
	p.waitHealthy(t, client, root)
	contacts = root + "/opentoclose/v1/properties/123/contacts?api_token=" + otcToken
	if code, body := do(t, client, "GET", contacts, "", otcHeaders()); code != 200 || !strings.Contains(body, `"contact_id":101`) {
		t.Errorf("contacts of 123 after the restart: %d %s", code, body)
	}
	if code, body := do(t, client, "GET", root+"/opentoclose/v1/properties/123/contacts/101?api_token="+otcToken, "", otcHeaders()); code != 200 {
		t.Errorf("retrieve contact 101 after the restart: %d %s", code, body)
	}
	notes = root + "/spark/v1/listings/" + listingID + "/shared/notes"
	if code, body := do(t, client, "GET", notes, "", sparkHeaders(vowToken)); code != 200 || !strings.Contains(body, newNote) {
		t.Errorf("note after the restart: %d %s", code, body)
	}
	p.stop(t)
}

// --tls serves HTTPS with a certificate a client can trust from
// --tls-cert-out, and --mount spark=/ puts Spark's /v1/... at the root, as
// the Spark Ruby gem needs, while Open To Close keeps its prefix.
func TestEndToEndTLS(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "cert.pem")
	port := freePort(t)
	root := "https://127.0.0.1:" + port
	p := start(t, "serve", "--addr", "127.0.0.1:"+port, "--tls", "--tls-cert-out", certFile, "--mount", "spark=/")

	var client *http.Client
	waitFor(t, "the certificate in "+certFile, func() bool {
		if p.exited() {
			t.Fatalf("mockserver exited: %v\nstderr:\n%s", p.err, p.stderr)
		}
		certPEM, err := os.ReadFile(certFile)
		if err != nil {
			return false
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(certPEM) {
			t.Fatalf("%s holds no PEM certificate:\n%s", certFile, certPEM)
		}
		client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		return true
	})
	p.waitHealthy(t, client, root)
	wantLines := fmt.Sprintf("opentoclose  %[1]s/opentoclose/v1\nspark        %[1]s/v1\nadmin        %[1]s/__mock/\ndashboard    %[1]s/__mock/ui/\n", root)
	if got := p.stdout.String(); got != wantLines {
		t.Errorf("start-up lines:\n%s\nwant:\n%s", got, wantLines)
	}

	path := "/v1/listings/" + listingID + "/shared/notes"
	headers := map[string]string{"Authorization": "OAuth " + vowToken, "X-SparkApi-User-Agent": "t"}
	code, got := do(t, client, "GET", root+path, "", headers)
	if code != 200 {
		t.Fatalf("GET %s over HTTPS: %d %s", path, code, got)
	}
	plain := mockservertest.New(t, mockservertest.WithOptions(func(o *mockserver.Options) { o.Mounts = map[string]string{"spark": "/"} }))
	wantCode, want := do(t, plain.Client(), "GET", plain.HTTP.URL+path, "", headers)
	var gotJSON, wantJSON any
	if err := json.Unmarshal([]byte(got), &gotJSON); err != nil {
		t.Fatalf("HTTPS body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &wantJSON); err != nil {
		t.Fatal(err)
	}
	if wantCode != code || !reflect.DeepEqual(gotJSON, wantJSON) {
		t.Errorf("HTTPS answered %d %s\nin-process answered %d %s", code, got, wantCode, want)
	}

	if code, body := do(t, client, "GET", root+"/opentoclose/v1/properties/123/contacts?api_token="+otcToken, "", otcHeaders()); code != 200 || !strings.Contains(body, `"contact_id":456`) {
		t.Errorf("Open To Close over HTTPS: %d %s", code, body)
	}
	// Without the certificate, a client refuses the server.
	untrusting := &http.Client{Timeout: 10 * time.Second}
	if resp, err := untrusting.Get(root + "/__mock/health"); err == nil {
		resp.Body.Close()
		t.Error("a client that does not trust the certificate connected")
	}
	p.stop(t)
}
