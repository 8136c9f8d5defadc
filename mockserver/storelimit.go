package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/realestate-mocks/mockserver/spec"
)

// DefaultStoreBytes bounds each API's records unless Options says otherwise.
const DefaultStoreBytes = 64 << 20

// storeMeter keeps an upper bound of one store's size: its records as
// JSON when last measured, plus the bodies of the writes let in since.
// Measuring costs a pass over every record, so it is done only when the
// bound would pass the limit, and not again while it is exact.
type storeMeter struct {
	mu       sync.Mutex
	bytes    int64
	measured bool // bytes is a bound; false after a reset
	exact    bool // bytes was measured and nothing was written since
}

// forget makes the next write measure again, after a reset or restore.
func (m *storeMeter) forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.measured, m.exact = false, false
}

// storeRoom refuses a write that adds records (POST, PUT, PATCH) when the
// store's records and its body would pass Options.StoreBytes: 413 in the
// API's envelope (storeFull). A DELETE only makes the bound inexact.
func (s *Server) storeRoom(ex *exchange, store Store) *Reply {
	if store == nil || s.opts.StoreBytes < 0 || s.opts.Stateless || !isWrite(ex.r.Method) {
		return nil
	}
	m := &ex.m.meter
	m.mu.Lock()
	defer m.mu.Unlock()
	if ex.r.Method == http.MethodDelete {
		m.exact = false
		return nil
	}
	n, limit := int64(len(ex.body)), s.opts.StoreBytes
	if !m.measured || (!m.exact && m.bytes+n > limit) {
		data, err := json.Marshal(store.Snapshot())
		if err != nil {
			return Fail(spec.KindInternal, fmt.Sprintf("measure the %s records: %v", ex.m.name, err))
		}
		m.bytes, m.measured, m.exact = int64(len(data)), true, true
	}
	if m.bytes+n > limit {
		return Fail(spec.KindStoreFull, fmt.Sprintf("the mock keeps at most %d bytes of %s records (%s) and holds %d; delete some, or reset", limit, ex.m.name, s.option("StoreBytes"), m.bytes))
	}
	m.bytes += n
	m.exact = false
	return nil
}
