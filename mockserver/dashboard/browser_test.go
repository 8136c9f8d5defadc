//go:build browser

// Browser tests: headless Chromium driven through the DevTools protocol.
// They need the Debian package chromium (or CHROMIUM=/path/to/binary) and
// run with `make test-ui`, which .ci/run calls; `make test` leaves them
// out. Each page's screenshot is written to img/, beside the dashboard, for the README.
package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// screenshots is where the README's images live.
const screenshots = "img"

// browser starts a fresh headless Chromium for one test, at 1280×800.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		var err error
		if path, err = exec.LookPath("chromium"); err != nil {
			t.Fatal("no chromium on PATH: install the Debian package (apt-get install -y chromium) or set CHROMIUM")
		}
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitJS polls a JavaScript expression until it is true. Errors count
// as false: the page may be between two documents.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	t.Fatalf("%s: %s never became true (last error: %v)\n%.3000s", what, expr, err, html)
}

// eval runs a JavaScript expression and returns its value.
func eval[T any](t *testing.T, ctx context.Context, what, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	run(t, ctx, "settle", chromedp.Sleep(400*time.Millisecond))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshots, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// traffic is what a test run against the mock looks like: reads, writes,
// refusals and answers that break the spec.
func traffic(t *testing.T, base string) {
	t.Helper()
	spark := map[string]string{"X-SparkApi-User-Agent": "demo-app/1.0", "Authorization": "Bearer spark-vow-token"}
	otc := "?api_token=" + otcToken
	calls := []struct {
		method, path, body string
		header             map[string]string
	}{
		{"GET", notesPath, "", spark},
		{"GET", otcPath + otc, "", nil},
		{"POST", otcPath + otc, `{"contact_id": 101, "role": "Seller", "primary": true}`, map[string]string{"Content-Type": "application/json"}},
		{"POST", otcPath + otc, `{"contact_id": "<script>window.__xss=1</script>"}`, map[string]string{"Content-Type": "application/json"}},
		{"POST", notesPath, `{"D":{"Note":"hi"}}`, spark},
		{"GET", notesPath, "", map[string]string{"X-SparkApi-User-Agent": "demo-app/1.0"}},
		{"GET", otcPath + otc, "", map[string]string{"Prefer": "code=500"}},
		{"GET", "/spark/v1/listings", "", spark},
		{"DELETE", otcPath + "/7484664" + otc, "", nil},
		{"GET", notesPath, "", spark},
	}
	for _, c := range calls {
		req, _ := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
}

// lenientMock has one behaviour that breaks the spec, so the violations
// page has something to group.
func lenientMock(t *testing.T, opts mockserver.Options) (*mockserver.Server, *httptest.Server) {
	t.Helper()
	opts.Validation = mockserver.Lenient
	s := newMock(t, opts)
	err := s.Handle("spark", "getSharedNote", mockserver.BehaviorFunc(func(c *mockserver.Call) *mockserver.Reply {
		if c.Request.Header.Get("X-SparkApi-User-Agent") == "demo-app/1.0" {
			return mockserver.JSON(200, map[string]any{"D": map[string]any{"Success": true, "Results": []any{map[string]any{"Note": 42}}}})
		}
		return mockserver.JSON(200, map[string]any{"D": map[string]any{"Success": true, "Results": []any{map[string]any{"Note": "ok"}}}})
	}))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.EndStreams()
		ts.Close()
	})
	return s, ts
}

func TestBrowserRequestsLive(t *testing.T) {
	_, ts := lenientMock(t, mockserver.Options{})
	ctx := browser(t)
	run(t, ctx, "open the requests page", chromedp.Navigate(ts.URL+"/__mock/ui/"), chromedp.WaitVisible(chromedp.CSS("#filters")))
	waitJS(t, ctx, "live indicator", `document.querySelector("#live").dataset.state === "on"`)
	if n := textOf(t, ctx, "#matched"); n != "0" {
		t.Fatalf("matched %q before any call", n)
	}

	traffic(t, ts.URL)
	waitJS(t, ctx, "ten rows arrive without a reload", `document.querySelectorAll("#rows tr").length === 10`)
	waitJS(t, ctx, "newest first", `document.querySelector("#rows tr").dataset.seq === "10"`)
	if got := textOf(t, ctx, "#matched"); got != "10" {
		t.Errorf("matched count %q after ten calls, want 10", got)
	}
	xss := eval[bool](t, ctx, "check the script body stayed text", `window.__xss === 1`)
	if xss {
		t.Fatal("a request body ran as script")
	}
	screenshot(t, ctx, "dashboard-requests")

	// Filter by status class, then by text.
	run(t, ctx, "filter 4xx", chromedp.SetValue(chromedp.CSS(`select[name="status"]`), "4xx"),
		chromedp.Evaluate[chromedp.Void](`void document.querySelector('select[name="status"]').dispatchEvent(new Event("change", {bubbles: true}))`))
	waitJS(t, ctx, "only 4xx rows", `(() => { const b = [...document.querySelectorAll("#rows .badge")]; return b.length === 4 && b.every(x => x.textContent.startsWith("4")); })()`)
	waitJS(t, ctx, "the URL keeps the filter", `location.search === "?status=4xx"`)
	run(t, ctx, "filter text", chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), "__xss"))
	waitJS(t, ctx, "one row matches the text", `document.querySelectorAll("#rows tr").length === 1 && location.search.includes("q=__xss")`)

	// A new call matching the filter still arrives live; one not matching does not.
	traffic(t, ts.URL)
	waitJS(t, ctx, "a matching row arrives live", `document.querySelectorAll("#rows tr").length === 2 && document.querySelector("#rows tr").dataset.seq === "14"`)

	// Open the row: the step, the violation with its pointer, the curl.
	run(t, ctx, "open row 14", chromedp.Click(chromedp.CSS(`#rows tr[data-seq="14"] td.op`)), chromedp.WaitVisible(chromedp.CSS("#drawer .detail")))
	detail := textOf(t, ctx, "#drawer")
	for _, want := range []string{"validate", "/contact_id", "value must be an integer", "<script>window.__xss=1</script>", "curl -g -i -X 'POST'", "api_token=otc-demo-token"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	scripts := eval[int](t, ctx, "count scripts", `document.querySelectorAll("#drawer script").length`)
	if scripts != 0 || eval[bool](t, ctx, "xss", `window.__xss === 1`) {
		t.Errorf("the request body became markup: %d script elements", scripts)
	}
	run(t, ctx, "copy as curl", chromedp.Click(chromedp.CSS("[data-copy-curl]")))
	waitJS(t, ctx, "copied", `document.querySelector("#toast").textContent === "curl command copied"`)
	screenshot(t, ctx, "dashboard-request-detail")
	run(t, ctx, "close with Esc", chromedp.KeyEvent("\x1b"))
	waitJS(t, ctx, "drawer closed", `document.querySelector("#drawer").hidden`)

	// Dark mode, and a narrow window.
	run(t, ctx, "clear filters", chromedp.Navigate(ts.URL+"/__mock/ui/requests"), chromedp.WaitVisible(chromedp.CSS("#rows tr")))
	run(t, ctx, "dark", chromedp.Click(chromedp.CSS("#theme")), chromedp.Click(chromedp.CSS("#theme")))
	waitJS(t, ctx, "dark theme", `document.documentElement.dataset.theme === "dark"`)
	run(t, ctx, "open a row", chromedp.Click(chromedp.CSS(`#rows tr[data-seq="17"] td.op`)), chromedp.WaitVisible(chromedp.CSS("#drawer .detail")))
	screenshot(t, ctx, "dashboard-dark")
	run(t, ctx, "narrow", chromedp.KeyEvent("\x1b"), chromedp.EmulateViewport(420, 800))
	waitJS(t, ctx, "operation column hidden", `getComputedStyle(document.querySelector("#rows td.op")).display === "none"`)
	overflow := eval[bool](t, ctx, "no sideways scroll", `document.documentElement.scrollWidth > window.innerWidth + 1`)
	if overflow {
		t.Error("the narrow page scrolls sideways")
	}
	screenshot(t, ctx, "dashboard-narrow")
}

func TestBrowserPages(t *testing.T) {
	s, ts := lenientMock(t, mockserver.Options{OptionNames: map[string]string{"OnSnapshot": "--state-file"}})
	traffic(t, ts.URL)
	ctx := browser(t)

	run(t, ctx, "violations", chromedp.Navigate(ts.URL+"/__mock/ui/violations"), chromedp.WaitVisible(chromedp.CSS(".op-violations")))
	v := textOf(t, ctx, "main")
	for _, want := range []string{"getSharedNote", "/D/Results/0/Note", "createPropertyContact", "/contact_id"} {
		if !strings.Contains(v, want) {
			t.Errorf("violations page lacks %q", want)
		}
	}
	screenshot(t, ctx, "dashboard-violations")

	run(t, ctx, "coverage", chromedp.Navigate(ts.URL+"/__mock/ui/coverage"), chromedp.WaitVisible(chromedp.CSS(".matrix")))
	cov := s.Coverage()
	covered, documented := 0, 0
	for _, a := range cov.APIs {
		covered += a.CoveredStatuses
		documented += a.DocumentedStatuses
	}
	if got, want := textOf(t, ctx, "#coverage-pct"), strconv.Itoa(covered*100/documented)+"%"; got != want {
		t.Errorf("coverage shows %q, want %q", got, want)
	}
	waitJS(t, ctx, "the bar is drawn", `document.querySelector(".summary .bar span").style.width !== ""`)
	screenshot(t, ctx, "dashboard-coverage")

	run(t, ctx, "scenarios", chromedp.Navigate(ts.URL+"/__mock/ui/scenarios"), chromedp.WaitVisible(chromedp.CSS("#scenario-list")))
	if !strings.Contains(textOf(t, ctx, `.state[data-api="opentoclose"]`), "Seller") {
		t.Error("the records table lacks the contact linked by the traffic")
	}
	screenshot(t, ctx, "dashboard-scenarios")

	// Cancel first: nothing changes.
	run(t, ctx, "ask to switch", chromedp.Click(chromedp.CSS(`button[data-name="empty"]`)), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	if !strings.Contains(textOf(t, ctx, "#confirm-text"), "empty") {
		t.Error("the confirmation does not name the scenario")
	}
	run(t, ctx, "cancel", chromedp.Click(chromedp.CSS(`#confirm button[value="cancel"]`)), chromedp.WaitNotVisible(chromedp.CSS("#confirm")))
	if s.Scenario() != "default" {
		t.Fatalf("cancelling switched to %q", s.Scenario())
	}
	// Switch asked again in the same task as the Cancel, so the cancelled
	// question's close event arrives while the new one is open: it must
	// not answer it (that lost the OK below, now and then, when the test
	// clicked Switch as soon as the dialog was hidden).
	asked := eval[bool](t, ctx, "cancel, then switch at once", `(() => {
		document.querySelector('button[data-name="empty"]').click();
		document.querySelector('#confirm button[value="cancel"]').click();
		document.querySelector('button[data-name="empty"]').click();
		return document.querySelector("#confirm").open; })()`)
	if !asked {
		t.Fatal("the second Switch did not open the confirmation")
	}
	waitJS(t, ctx, "the confirmation is open with its OK enabled", `document.querySelector("#confirm").open && !document.querySelector("#confirm-ok").disabled`)
	run(t, ctx, "switch", chromedp.Click(chromedp.CSS("#confirm-ok")))
	waitJS(t, ctx, "the page shows the new scenario and its state",
		`!!document.querySelector('#scenario-list tr.active[data-scenario="empty"]') && document.querySelector('.state[data-api="opentoclose"]').textContent.includes("No records") && document.querySelector("#active-scenario").textContent === "empty"`)
	if s.Scenario() != "empty" {
		t.Errorf("server scenario %q after switching in the page", s.Scenario())
	}

	// Snapshot without a state file: the admin API's 501 reaches the user.
	run(t, ctx, "snapshot", chromedp.Click(chromedp.CSS(`button[data-action="snapshot"]`)), chromedp.WaitVisible(chromedp.CSS("#confirm")),
		chromedp.Click(chromedp.CSS("#confirm-ok")))
	waitJS(t, ctx, "the refusal is shown", `document.querySelector("#toast.bad") && document.querySelector("#toast").textContent.includes("--state-file")`)

	// Esc declines, although the last question was answered OK (the
	// dialog's returnValue still says "ok").
	run(t, ctx, "ask to switch back", chromedp.Click(chromedp.CSS(`button[data-name="default"]`)), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	run(t, ctx, "dismiss with Esc", chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(chromedp.CSS("#confirm")))

	// Reset goes back to the scenario's records.
	traffic(t, ts.URL)
	run(t, ctx, "reset", chromedp.Click(chromedp.CSS(`button[data-action="reset"]`)), chromedp.WaitVisible(chromedp.CSS("#confirm")),
		chromedp.Click(chromedp.CSS("#confirm-ok")))
	waitJS(t, ctx, "reset done", `document.querySelector("#toast").textContent === "State reset"`)
	if s.Scenario() != "empty" {
		t.Errorf("server scenario %q: the Esc switched back", s.Scenario())
	}
}

func TestBrowserAdminToken(t *testing.T) {
	_, ts := lenientMock(t, mockserver.Options{AdminToken: "s3cret"})
	traffic(t, ts.URL)
	ctx := browser(t)
	run(t, ctx, "open", chromedp.Navigate(ts.URL+"/__mock/ui/coverage"), chromedp.WaitVisible(chromedp.CSS("#token-form")))
	if strings.Contains(textOf(t, ctx, "body"), "getSharedNote") {
		t.Fatal("data shown before the token was given")
	}
	run(t, ctx, "wrong token", chromedp.SendKeys(chromedp.CSS(`#token-form input`), "nope\r"))
	waitJS(t, ctx, "refused", `!document.querySelector("#token-error").hidden`)
	run(t, ctx, "right token", chromedp.SendKeys(chromedp.CSS(`#token-form input`), "s3cret\r"))
	waitJS(t, ctx, "coverage shown", `!!document.querySelector(".matrix") && document.querySelector("#active-scenario").textContent === "default"`)
	stored := eval[string](t, ctx, "session storage", `sessionStorage.getItem("mockserver.adminToken")`)
	if stored != "s3cret" {
		t.Errorf("sessionStorage holds %q", stored)
	}
	// Asked once: the next page loads without asking, live rows included.
	run(t, ctx, "requests", chromedp.Navigate(ts.URL+"/__mock/ui/requests"))
	waitJS(t, ctx, "rows without asking again", `document.querySelectorAll("#rows tr").length === 10 && !document.querySelector("#token-form")`)
	waitJS(t, ctx, "live with the token", `document.querySelector("#live").dataset.state === "on"`)
	traffic(t, ts.URL)
	waitJS(t, ctx, "live rows", `document.querySelectorAll("#rows tr").length === 20`)
}
