// Command bare is the load run's control: a bare net/http server that
// answers each request with the bytes the mock gave for it, recorded in a
// JSON file by cmd/loadtest. It does no routing library, no auth and no
// validation, so the mock's figures read as a share of it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
)

// Answer is one recorded response, keyed by "METHOD /path?query".
type Answer struct {
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	Body        []byte `json:"body"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	file := flag.String("answers", "", "the recorded answers (JSON)")
	flag.Parse()
	answers := map[string]Answer{}
	if data, err := os.ReadFile(*file); err != nil || json.Unmarshal(data, &answers) != nil {
		fmt.Fprintln(os.Stderr, "bare: cannot read -answers", *file, err)
		os.Exit(2)
	}
	h := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		a, ok := answers[r.Method+" "+r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.ContentType)
		w.WriteHeader(a.Status)
		_, _ = w.Write(a.Body)
	}
	if err := http.ListenAndServe(*addr, http.HandlerFunc(h)); err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
}
