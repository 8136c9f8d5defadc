package mockserver

// Learner infers, from the exchanges a proxy forwarded, the records an
// API's store must start with for a replay to answer as the real service
// did: a recording of a stateful API then replays as state, not as a
// tape. An API with a store offers one (see NewLearner); a recorder asks
// it about each valid exchange in order. A Pack offers one through
// Pack.Learner.
type Learner interface {
	// Learn takes one exchange that passed every check, in the order
	// they happened. It reports whether the records explain the answer:
	// when they do, a replay of the same calls from State answers the
	// same, and the recorder writes no rule for it.
	Learn(*Exchange) bool
	// State returns the records learnt, in the form the API's scenario
	// `state:` key takes (encoded through encoding/json).
	State() any
}

// NewLearner returns a new Learner for an API served by s, nil when the
// API has no store that can learn.
func (s *Server) NewLearner(api string) Learner {
	if m := s.byName[api]; m != nil && m.newLearner != nil {
		return m.newLearner()
	}
	return nil
}
