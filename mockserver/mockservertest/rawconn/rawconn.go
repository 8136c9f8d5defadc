// Package rawconn lets a test write an HTTP/1.1 request by hand on its own
// TCP connection, to send what net/http's client never sends: a body that
// stalls, ends short or breaks its chunking, and then see whether the
// server answered and closed the connection. It is a test helper, beside
// mockservertest, for the engine's tests and cmd/mockserver's.
package rawconn

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// TB is what Send needs from a test: *testing.T and *testing.B have it.
type TB interface {
	Helper()
	Fatal(args ...any)
	Cleanup(func())
}

// Conn is one hand-written client connection.
type Conn struct {
	net.Conn
	r *bufio.Reader
}

// Send dials addr and writes head (its header lines, each ending in
// "\r\n"), the blank line and body. The connection is closed when the
// test ends.
func Send(t TB, addr, head, body string) *Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if _, err := io.WriteString(conn, head+"\r\n"+body); err != nil {
		t.Fatal(err)
	}
	return &Conn{Conn: conn, r: bufio.NewReader(conn)}
}

// CloseWrite ends the client's side: what was sent is all there is.
func (c *Conn) CloseWrite() error { return c.Conn.(*net.TCPConn).CloseWrite() }

// Answer reads the response and its whole body. wait only bounds how long
// a server that never answers keeps the test; it asserts no speed.
func (c *Conn) Answer(wait time.Duration) (*http.Response, string, error) {
	if err := c.SetReadDeadline(time.Now().Add(wait)); err != nil {
		return nil, "", err
	}
	res, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return nil, "", err
	}
	body, err := io.ReadAll(res.Body)
	return res, string(body), err
}

// Closed returns nil when the server has closed the connection after its
// answer (the next read ends), and why not otherwise.
func (c *Conn) Closed() error {
	b, err := c.r.ReadByte()
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return err
	default:
		return fmt.Errorf("the connection is open: it sent %q after the answer", b)
	}
}
