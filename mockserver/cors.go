package mockserver

import "net/http"

// corsExposed are the response headers a browser app may need to read.
const corsExposed = "Allow, Retry-After, Preference-Applied, " + ViolationHeader

// allowCORS adds the CORS headers to every cross-origin answer and
// answers a preflight itself, reporting whether it did.
func allowCORS(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", corsExposed)
	h.Add("Vary", "Origin")
	method := r.Header.Get("Access-Control-Request-Method")
	if r.Method != http.MethodOptions || method == "" {
		return false
	}
	// The preflight allows what the browser asks; the real request then
	// goes through the pipeline, which answers 405 or 401 as usual.
	h.Set("Access-Control-Allow-Methods", method)
	if headers := r.Header.Get("Access-Control-Request-Headers"); headers != "" {
		h.Set("Access-Control-Allow-Headers", headers)
	}
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}
