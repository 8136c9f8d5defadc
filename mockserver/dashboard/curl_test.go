package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
)

// testUI is the dashboard of a Server with the built-in APIs and the
// default scenario.
func testUI(t testing.TB) *ui {
	t.Helper()
	return &ui{s: mockservertest.New(t).Server}
}

func TestCurl(t *testing.T) {
	u := testUI(t)
	for _, c := range []struct {
		name  string
		entry mockserver.Entry
		want  string
	}{
		{"tokens that redact alike are told apart by the role", mockserver.Entry{API: "spark", Method: "GET", Path: "/spark/v1/x", Role: "VOW",
			Header: http.Header{"Authorization": {"Bearer spar…en"}, "X-Sparkapi-User-Agent": {"app"}}},
			`curl -g -i 'http://127.0.0.1:8080/spark/v1/x' -H 'Authorization: Bearer spark-vow-token' -H 'X-Sparkapi-User-Agent: app'`},
		{"an ambiguous token becomes $TOKEN", mockserver.Entry{API: "spark", Method: "GET", Path: "/spark/v1/x",
			Header: http.Header{"Authorization": {"Bearer spar…en"}}},
			`curl -g -i 'http://127.0.0.1:8080/spark/v1/x' -H 'Authorization: Bearer '"$TOKEN"`},
		{"an unknown token becomes $TOKEN", mockserver.Entry{API: "spark", Method: "DELETE", Path: "/spark/v1/x",
			Header: http.Header{"Authorization": {"Bearer abcd…yz"}}},
			`curl -g -i -X 'DELETE' 'http://127.0.0.1:8080/spark/v1/x' -H 'Authorization: Bearer '"$TOKEN"`},
		{"a hidden (proxied) token becomes $TOKEN", mockserver.Entry{API: "spark", Method: "GET", Path: "/spark/v1/x",
			Header: http.Header{"Authorization": {"OAuth [redacted]"}}},
			`curl -g -i 'http://127.0.0.1:8080/spark/v1/x' -H 'Authorization: OAuth '"$TOKEN"`},
		{"a query token is put back", mockserver.Entry{API: "opentoclose", Method: "GET", Path: "/o/v1/p", Query: "limit=2&api_token=otc-%E2%80%A6en"},
			`curl -g -i 'http://127.0.0.1:8080/o/v1/p?limit=2&api_token=otc-demo-token'`},
		{"an unknown query token becomes $TOKEN", mockserver.Entry{API: "opentoclose", Method: "GET", Path: "/o/v1/p", Query: "api_token=zzzz%E2%80%A6zz&limit=2"},
			`curl -g -i 'http://127.0.0.1:8080/o/v1/p?api_token='"$TOKEN"'&limit=2'`},
		{"single quotes in the body survive", mockserver.Entry{API: "opentoclose", Method: "POST", Path: "/o", Body: `{"notes":"it's"}`},
			`curl -g -i -X 'POST' 'http://127.0.0.1:8080/o' --data-raw '{"notes":"it'\''s"}'`},
		{"a method is one quoted word", mockserver.Entry{API: "opentoclose", Method: `X&touch$IFS'pwned'&`, Path: "/o"},
			`curl -g -i -X 'X&touch$IFS'\''pwned'\''&' 'http://127.0.0.1:8080/o'`},
		{"the mark outside a credential is kept as it is", mockserver.Entry{API: "spark", Method: "GET", Path: "/s",
			Header: http.Header{"User-Agent": {"$(touch${IFS}pwned) …"}}},
			`curl -g -i 'http://127.0.0.1:8080/s' -H 'User-Agent: $(touch${IFS}pwned) …'`},
		{"the scheme of a redacted credential stays quoted", mockserver.Entry{API: "spark", Method: "GET", Path: "/s",
			Header: http.Header{"Authorization": {"$(touch${IFS}pwned) abcd…yz"}}},
			`curl -g -i 'http://127.0.0.1:8080/s' -H 'Authorization: $(touch${IFS}pwned) '"$TOKEN"`},
		{"an empty header is sent empty", mockserver.Entry{API: "spark", Method: "HEAD", Path: "/s", Header: http.Header{"X-Empty": {""}}},
			`curl -g -i -I 'http://127.0.0.1:8080/s' -H 'X-Empty;'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := u.curl(&c.entry, "http://127.0.0.1:8080"); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// What a shell makes of a copied command is what the request held: run
// by sh (and bash, when there is one) with curl replaced by a function
// that prints its arguments, each method, header and redacted credential
// of a random request comes back as one argument, byte for byte, $TOKEN
// is expanded and nothing else, and no file appears.
func TestCurlRunsAsWritten(t *testing.T) {
	u := testUI(t)
	const token = "tok$(touch${IFS}pwned_token)`touch pwned_tick`'\"x"
	shells := []string{"sh"}
	if _, err := exec.LookPath("bash"); err == nil {
		shells = append(shells, "bash")
	}
	rng := rand.New(rand.NewPCG(21, 1))
	for i := range 150 {
		e, want := randomEntry(rng, token)
		cmd := u.curl(&e, "http://127.0.0.1:8080")
		for _, sh := range shells {
			dir := t.TempDir()
			got, err := runCurl(sh, dir, cmd, token)
			if err != nil {
				t.Fatalf("case %d, %s: %v\ncommand: %s", i, sh, err, cmd)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("case %d, %s: the shell gave\n%q\nwant\n%q\ncommand: %s", i, sh, got, want, cmd)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("case %d, %s: the command created %s\ncommand: %s", i, sh, left[0].Name(), cmd)
			}
		}
	}
}

// runCurl runs a copied command in dir, with curl a function that prints
// each argument ended by a NUL byte.
func runCurl(shell, dir, command, token string) ([]string, error) {
	script := "curl() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }\n" + command + "\n"
	c := exec.Command(shell, "-c", script)
	c.Dir = dir
	c.Env = []string{"PATH=" + os.Getenv("PATH"), "TOKEN=" + token}
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Run(); err != nil || stderr.Len() > 0 {
		return nil, fmt.Errorf("%v: %s", err, stderr.String())
	}
	out := strings.TrimSuffix(stdout.String(), "\x00")
	return strings.Split(out, "\x00"), nil
}

// tchars are the characters of an HTTP token (a method, a header name).
const tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// nasty are pieces a shell would act on, mixed into random values.
var nasty = []string{"$(touch${IFS}pwned)", "`touch pwned2`", "'", `"`, "\\", "$TOKEN", "…", "[redacted]", "&", ";", "|", "\t", "!", "*", "~", "{a,b}", "$'\\x41'"}

func randomToken(rng *rand.Rand, n int) string {
	b := make([]byte, 1+rng.IntN(n))
	for i := range b {
		b[i] = tchars[rng.IntN(len(tchars))]
	}
	return string(b)
}

// randomValue is a header value of any bytes HTTP allows: visible ASCII,
// space, tab and obs-text (0x80-0xFF), with pieces of shell syntax.
func randomValue(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(12) {
		switch rng.IntN(4) {
		case 0:
			b.WriteString(nasty[rng.IntN(len(nasty))])
		case 1:
			b.WriteByte(byte(0x80 + rng.IntN(0x80)))
		default:
			b.WriteByte(byte(0x20 + rng.IntN(0x5f))) // space to ~
		}
	}
	return b.String()
}

// randomEntry is a journal entry of the spark API and the arguments curl
// must receive for it: an unknown redacted credential comes back with the
// value of $TOKEN.
func randomEntry(rng *rand.Rand, token string) (mockserver.Entry, []string) {
	e := mockserver.Entry{API: "spark", Method: randomToken(rng, 12), Path: "/spark/v1/" + randomValue(rng), Header: http.Header{}}
	switch rng.IntN(6) {
	case 0:
		e.Method = http.MethodGet
	case 1:
		e.Method = http.MethodHead
	}
	headers := map[string]string{}
	for range rng.IntN(6) {
		name := randomToken(rng, 16)
		if strings.EqualFold(name, "Authorization") || strings.EqualFold(name, "Cookie") {
			continue
		}
		v := randomValue(rng)
		e.Header[name] = append(e.Header[name], v)
		headers[name] = v
	}
	if rng.IntN(2) == 0 {
		// \x80 starts no fixture token, so none is put back.
		scheme := randomToken(rng, 8)
		e.Header["Authorization"] = []string{scheme + " \x80" + randomValue(rng) + "…" + randomToken(rng, 2)}
	}
	want := []string{"-g", "-i"}
	switch e.Method {
	case http.MethodGet:
	case http.MethodHead:
		want = append(want, "-I")
	default:
		want = append(want, "-X", e.Method)
	}
	want = append(want, "http://127.0.0.1:8080"+e.Path)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range e.Header {
			if !yield(k) {
				return
			}
		}
	}) {
		v := e.Header[name][0]
		switch {
		case name == "Authorization":
			scheme, _, _ := strings.Cut(v, " ")
			want = append(want, "-H", "Authorization: "+scheme+" "+token)
		case v == "":
			want = append(want, "-H", name+";")
		default:
			want = append(want, "-H", name+": "+headers[name])
		}
	}
	if rng.IntN(2) == 0 {
		e.Body = randomValue(rng) + "\n" + randomValue(rng)
		want = append(want, "--data-raw", e.Body)
	}
	return e, want
}

// FuzzCurl holds the curl builder to the rule the shell relies on: the
// command is words of its own flags ([-a-zA-Z0-9]), single-quoted text
// and "$TOKEN", and nothing else. shellWords reads it that way (and
// TestCurlRunsAsWritten checks that sh reads it the same way).
func FuzzCurl(f *testing.F) {
	u := testUI(f)
	f.Add("GET", "Authorization", "Bearer spar…en", "/spark/v1/x", "api_token=otc-%E2%80%A6en", "")
	f.Add(`X&touch$IFS'pwned'&`, "User-Agent", "$(touch${IFS}pwned) …", "/o'$(x)", "a='b", `{"notes":"it's"}`)
	f.Add("POST", "Authorization", "`id` abcd…yz", "/", "api_token=%5Bredacted%5D", "\x00\n'")
	f.Fuzz(func(t *testing.T, method, name, value, path, query, body string) {
		for _, api := range []string{"spark", "opentoclose"} {
			e := mockserver.Entry{API: api, Method: method, Path: path, Query: query, Body: body, Header: http.Header{name: {value}}}
			cmd := u.curl(&e, "http://127.0.0.1:8080")
			words, err := shellWords(cmd)
			if err != nil {
				t.Fatalf("%v\ncommand: %s", err, cmd)
			}
			if method != http.MethodGet && method != http.MethodHead && !slices.Contains(words, method) {
				t.Fatalf("the method %q is not one word of %q", method, words)
			}
			if body != "" && words[len(words)-1] != body {
				t.Fatalf("the body %q is not the last word of %q", body, words)
			}
			if !strings.ContainsAny(value, "…]") && !slices.Contains(words, name+": "+value) && value != "" {
				t.Fatalf("the header %q: %q is not one word of %q", name, value, words)
			}
		}
	})
}

// errUnquoted is a character a shell would act on, outside the quotes.
var errUnquoted = errors.New("unquoted character")

// shellWords splits a command the way a POSIX shell does, for the only
// syntax curl may write: bare [-a-zA-Z0-9] words, '…' quotes, \' and
// "$TOKEN" (read as $TOKEN). Anything else outside quotes is an error.
func shellWords(cmd string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(cmd); {
		c := cmd[i]
		switch {
		case c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
			i++
			continue
		case c == '\'':
			end := strings.IndexByte(cmd[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote at %d", i)
			}
			cur.WriteString(cmd[i+1 : i+1+end])
			i += end + 2
		case strings.HasPrefix(cmd[i:], `\'`):
			cur.WriteByte('\'')
			i += 2
		case strings.HasPrefix(cmd[i:], `"$TOKEN"`):
			cur.WriteString("$TOKEN")
			i += len(`"$TOKEN"`)
		case c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			cur.WriteByte(c)
			i++
		default:
			return nil, fmt.Errorf("%w %q at %d", errUnquoted, c, i)
		}
		inWord = true
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
func TestStateTables(t *testing.T) {
	got := stateTables("x", map[string]any{
		"things": []map[string]any{{"name": "a", "id": 2, "tags": []map[string]any{{"k": "v"}}}, {"id": 3, "extra": nil}},
		"ids":    []string{"p", "q"},
	})
	if len(got.Tables) != 2 || got.Empty {
		t.Fatalf("tables %+v", got)
	}
	ids, things := got.Tables[0], got.Tables[1]
	if ids.Name != "ids" || len(ids.Rows) != 2 || ids.Rows[1][0].Text != "q" {
		t.Errorf("ids table %+v", ids)
	}
	if want := []string{"id", "name", "tags", "extra"}; !equal(things.Columns, want) {
		t.Errorf("columns %v, want %v (id first, then by first appearance)", things.Columns, want)
	}
	if c := things.Rows[0][0]; c.Text != "2" || c.Kind != "num" {
		t.Errorf("id cell %+v", c)
	}
	if nested := things.Rows[0][2].Table; nested == nil || nested.Rows[0][0].Text != "v" {
		t.Errorf("tags cell is not a nested table: %+v", things.Rows[0][2])
	}
	if c := things.Rows[1][3]; c.Kind != "null" {
		t.Errorf("null cell %+v", c)
	}
	if empty := stateTables("y", map[string]any{"things": []any{}}); !empty.Empty {
		t.Error("a store without records is not reported empty")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
