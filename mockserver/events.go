package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultSubscriptionBuffer is how many entries a subscriber may fall
// behind by before new ones are dropped for it.
const DefaultSubscriptionBuffer = 256

// eventsHeartbeat keeps idle streams alive through proxies that close
// silent connections, and lets the handler notice a vanished client.
const eventsHeartbeat = 15 * time.Second

// Subscription receives the journal's new entries as they are recorded.
// A subscriber that falls more than its buffer behind loses entries
// rather than slowing the requests down: Dropped says how many.
type Subscription struct {
	// C delivers entries in journal order; it is closed by Close and by
	// Server.EndStreams.
	C <-chan Entry

	c       chan Entry
	dropped atomic.Int64
	owner   *subscribers
}

// Dropped returns how many entries were dropped since the last call.
func (sub *Subscription) Dropped() int64 { return sub.dropped.Swap(0) }

// Close stops the deliveries and closes C. It is safe to call twice.
func (sub *Subscription) Close() { sub.owner.remove(sub) }

// subscribers is the journal's set of subscriptions. Publishing happens
// under the journal's lock, so every subscriber sees entries in Seq order.
type subscribers struct {
	mu    sync.Mutex
	set   map[*Subscription]struct{}
	ended bool
}

func (ss *subscribers) add(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = DefaultSubscriptionBuffer
	}
	c := make(chan Entry, buffer)
	sub := &Subscription{C: c, c: c, owner: ss}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.ended {
		close(c)
		return sub
	}
	if ss.set == nil {
		ss.set = map[*Subscription]struct{}{}
	}
	ss.set[sub] = struct{}{}
	return sub
}

func (ss *subscribers) remove(sub *Subscription) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if _, ok := ss.set[sub]; ok {
		delete(ss.set, sub)
		close(sub.c)
	}
}

// publish never blocks: a full buffer counts a drop instead.
func (ss *subscribers) publish(e Entry) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for sub := range ss.set {
		select {
		case sub.c <- e:
		default:
			sub.dropped.Add(1)
		}
	}
}

func (ss *subscribers) end() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.ended = true
	for sub := range ss.set {
		delete(ss.set, sub)
		close(sub.c)
	}
}

func (ss *subscribers) count() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.set)
}

// Subscribe delivers every entry recorded from now on; buffer bounds how
// far the subscriber may fall behind (0 means DefaultSubscriptionBuffer).
// Close the subscription when done.
func (s *Server) Subscribe(buffer int) *Subscription { return s.journal.subs.add(buffer) }

// EndStreams closes every subscription and event stream, now and for
// later subscribers, so a server being replaced or shut down does not
// wait for its streaming clients; they reconnect to whatever serves next.
// The Server keeps answering everything else.
func (s *Server) EndStreams() { s.journal.subs.end() }

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
