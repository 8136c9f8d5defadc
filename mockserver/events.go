package mockserver

import (
	"sync"
	"sync/atomic"
)

// DefaultSubscriptionBuffer is how many entries a subscriber may fall
// behind by before new ones are dropped for it.
const DefaultSubscriptionBuffer = 256

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
func (ss *subscribers) publish(e *Entry) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for sub := range ss.set {
		select {
		case sub.c <- *e:
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
