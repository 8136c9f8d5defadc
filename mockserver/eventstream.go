package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// eventsHeartbeat keeps idle streams alive through proxies that close
// silent connections, and lets the handler notice a vanished client.
const eventsHeartbeat = 15 * time.Second

// adminEvents streams the journal as Server-Sent Events: one "request"
// event per entry with the entry as JSON and its Seq as the event id. A
// reconnecting client's Last-Event-ID (or ?after=) replays what it missed
// while the journal still holds it; a "dropped" event says entries were
// lost because the client read too slowly.
func (s *Server) adminEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		adminError(w, http.StatusInternalServerError, "this connection cannot stream")
		return
	}
	after, err := lastEventID(r)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	q := r.URL.Query()
	f := Filter{API: q.Get("api"), Operation: q.Get("operation")}
	sub := s.Subscribe(0)
	defer sub.Close()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	last := after
	if after >= 0 {
		for _, e := range s.journal.list(f) {
			if e.Seq > after {
				last = writeEvent(w, e)
			}
		}
	}
	_, _ = fmt.Fprint(w, ": stream open\n\n")
	flusher.Flush()
	s.pumpEvents(w, flusher, r, sub, f, last)
}

// pumpEvents writes entries as they come until the client goes away or
// the stream is ended.
func (s *Server) pumpEvents(w http.ResponseWriter, flusher http.Flusher, r *http.Request, sub *Subscription, f Filter, last int64) {
	heartbeat := time.NewTicker(eventsHeartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-heartbeat.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
		case e, open := <-sub.C:
			if !open {
				return
			}
			if n := sub.Dropped(); n > 0 {
				_, _ = fmt.Fprintf(w, "event: dropped\ndata: {\"dropped\":%d}\n\n", n)
			}
			if e.Seq > last && f.match(&e) {
				last = writeEvent(w, e)
			}
		}
		flusher.Flush()
	}
}

func writeEvent(w http.ResponseWriter, e Entry) int64 {
	data, err := json.Marshal(e)
	if err != nil {
		return e.Seq
	}
	_, _ = fmt.Fprintf(w, "id: %d\nevent: request\ndata: %s\n\n", e.Seq, data)
	return e.Seq
}

// lastEventID is the Seq a client has seen, -1 for a fresh client, which
// gets only new entries.
func lastEventID(r *http.Request) (int64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("after")
	}
	if v == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("Last-Event-ID (or after) must be a journal seq, a non-negative integer; got %q", v)
	}
	return n, nil
}
