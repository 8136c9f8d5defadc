package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseWrk(t *testing.T) {
	got := parseTestdata(t, "wrk-output.txt", parseWrk)
	// A real run: two GETs the bare server answers and a PUT it does not know, round robin.
	want := wrkRun{requests: 13369, bytes: 10268576, duration: 2019980 * time.Microsecond,
		status: 4455, p50: 3506 * time.Microsecond, p99: 40183 * time.Microsecond, max: 51080 * time.Microsecond}
	if got != want {
		t.Errorf("parseWrk\n got %+v\nwant %+v", got, want)
	}
	if got.errors() != 4455 {
		t.Errorf("errors() = %d, want 4455 (the 404s)", got.errors())
	}
	if tp := got.throughput(); tp < 6618 || tp > 6619 {
		t.Errorf("throughput() = %v, want wrk's Requests/sec, 6618.38", tp)
	}
}

func TestParseWrkRefuses(t *testing.T) {
	const ok = "requests=1 duration_us=2 bytes=3 connect=0 read=0 write=0 status=0 timeout=0 p50_us=4 p99_us=5 max_us=6"
	for _, tc := range []struct{ name, out, wantErr string }{
		{"no result line (wrk failed)", "unable to connect to 127.0.0.1:1 Connection refused\n", "no result line"},
		{"a field missing", "loadtest: " + strings.Replace(ok, " max_us=6", "", 1), "10 of its 11 fields"},
		{"a field twice", "loadtest: " + ok + " read=1", `repeated "read"`},
		{"an unknown field", "loadtest: " + ok + " teapots=1", `unknown or repeated "teapots"`},
		{"not a number", "loadtest: " + strings.Replace(ok, "p99_us=5", "p99_us=5.5", 1), "p99_us"},
		{"negative", "loadtest: " + strings.Replace(ok, "requests=1", "requests=-1", 1), "requests"},
	} {
		if _, err := parseWrk([]byte(tc.out)); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.wantErr)
		}
	}
}

func FuzzParseWrk(f *testing.F) {
	if out, err := os.ReadFile("testdata/wrk-output.txt"); err == nil {
		f.Add(string(out))
	}
	f.Add("loadtest: requests=1 duration_us=0")
	f.Fuzz(func(t *testing.T, out string) {
		r, err := parseWrk([]byte(out))
		if err != nil {
			return
		}
		// What parsed prints back to a line that parses the same.
		line := fmt.Sprintf("loadtest: requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d max_us=%d",
			r.requests, r.duration.Microseconds(), r.bytes, r.connect, r.read, r.write, r.status, r.timeout,
			r.p50.Microseconds(), r.p99.Microseconds(), r.max.Microseconds())
		again, err := parseWrk([]byte(line))
		if err != nil || again.requests != r.requests || again.errors() != r.errors() {
			t.Errorf("%q parsed to %+v, printed back to %q: %+v, %v", out, r, line, again, err)
		}
		_ = r.throughput()
	})
}

func TestLuaString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"D":{"Note":"hot tub"}}`, `"{\034D\034:{\034Note\034:\034hot tub\034}}"`},
		{"a\\b\r\n", `"a\092b\013\010"`},
		{"café", `"caf\195\169"`},
		{"", `""`},
	} {
		if got := luaString(tc.in); got != tc.want {
			t.Errorf("luaString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestWrkScriptDefinesTheTargets(t *testing.T) {
	put := target{"PUT", "/p?q=1", http.Header{"B": {"2"}, "A": {"1", "x"}}, []byte(`{}`), 200}
	get := target{"GET", "/g", http.Header{}, nil, 200}
	got := wrkScript([]target{put, get}, 1.5)
	head, _, _ := strings.Cut(got, "\n\n")
	want := `targets = {
   {method = "PUT", path = "/p?q=1", headers = {["A"] = "1, x", ["B"] = "2", }, body = "{}"},
   {method = "GET", path = "/g", headers = {}},
}
pace_ms = 1.5`
	if head != want {
		t.Errorf("wrkScript's head\n got %s\nwant %s", head, want)
	}
	if !strings.HasSuffix(got, loadScript) {
		t.Error("wrkScript does not end with load.lua")
	}
}

func TestWholeSeconds(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "1s", 300 * time.Millisecond: "1s", 2 * time.Second: "2s", 2500 * time.Millisecond: "3s"} {
		if got := wholeSeconds(d); got != want {
			t.Errorf("wholeSeconds(%s) = %s, want %s", d, got, want)
		}
	}
}
