package main

import (
	"testing"
	"time"
)

func TestPacerReachesTheRate(t *testing.T) {
	p := &pacer{conns: 32, rate: 16000} // a request every 2 ms on each connection
	fast, slow := &server{}, &server{}
	if got := p.pause(fast); !near(got, 2) {
		t.Fatalf("first round's pause %v ms, want the whole 2 ms cycle", got)
	}
	// At a 2 ms pause the fast server reached 15 000 req/s (0.133 ms of latency a
	// request), the slow one 8 000 (2 ms): the next pauses leave room for that.
	p.observe(fast, 2, wrkRun{requests: 15000, duration: time.Second})
	p.observe(slow, 2, wrkRun{requests: 8000, duration: time.Second})
	if got, want := p.pause(fast), 2-(32.0/15000*1000-2); !near(got, want) {
		t.Errorf("fast server's next pause %v ms, want %v", got, want)
	}
	if got := p.pause(slow); !near(got, 0.01) {
		t.Errorf("a server that cannot reach the rate: pause %v ms, want the least, 0.01", got)
	}
	p.observe(fast, 0.5, wrkRun{}) // a round that served nothing tells nothing
	if got, want := p.pause(fast), 2-(32.0/15000*1000-2); !near(got, want) {
		t.Errorf("after an empty round: pause %v ms, want %v as before", got, want)
	}
}

func TestPacerAtFullSpeed(t *testing.T) {
	p := &pacer{conns: 32}
	p.observe(&server{}, 0, wrkRun{requests: 40000, duration: time.Second})
	if got := p.pause(&server{}); got != 0 {
		t.Errorf("an unpaced phase pauses %v ms, want 0", got)
	}
}
