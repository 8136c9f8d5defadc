package spec

// Gateway renders, in the API's own error envelope, an answer the API
// itself never documents: a proxy's 502 or 504 when the real service
// could not be reached or did not answer in time.
func (e *Envelope) Gateway(status int, message string) []byte {
	return e.render(status, 0, message, nil)
}
