package spec

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// The memos of CheckRequest and CheckResponse stay within their byte
// bound however many distinct values pass: when full they start over,
// so the oldest value is forgotten and the newest kept; a value too big
// to be worth keeping is never kept.
func TestMemosStayWithinTheirBound(t *testing.T) {
	op := &Operation{ID: "op"}
	const distinct = 300 // each about 1/64 of the bound: several times over it
	t.Run("responses", func(t *testing.T) {
		var c responseCache
		header := http.Header{"Content-Type": {"application/json"}}
		res := func(i, size int) Response {
			return Response{Status: 200, Header: header, Body: filler(i, size)}
		}
		for i := range distinct {
			r := res(i, maxCachedBytes/64-128)
			c.add(c.key(op, r, nil), r, nil)
			if c.bytes > maxCachedBytes {
				t.Fatalf("after %d answers the cache holds %d bytes, over %d", i+1, c.bytes, maxCachedBytes)
			}
		}
		first, last := res(0, maxCachedBytes/64-128), res(distinct-1, maxCachedBytes/64-128)
		if c.seen(c.key(op, first, nil), first, nil) || !c.seen(c.key(op, last, nil), last, nil) {
			t.Error("the cache did not start over: the oldest answer is still there, or the newest is not")
		}
		huge := res(0, maxCachedBytes/64+1)
		c.add(c.key(op, huge, nil), huge, nil)
		if c.seen(c.key(op, huge, nil), huge, nil) {
			t.Error("an answer over the per-entry limit was kept")
		}
	})
	t.Run("request bodies", func(t *testing.T) {
		var c bodyCache
		const ct = "application/json"
		for i := range distinct {
			b := filler(i, maxCachedBytes/128-128) // counted twice: bytes and value
			c.add(bodyKey(op, ct, b), ct, b, string(b))
			if c.bytes > maxCachedBytes {
				t.Fatalf("after %d bodies the cache holds %d bytes, over %d", i+1, c.bytes, maxCachedBytes)
			}
		}
		first, last := filler(0, maxCachedBytes/128-128), filler(distinct-1, maxCachedBytes/128-128)
		if _, ok := c.get(bodyKey(op, ct, first), ct, first); ok {
			t.Error("the oldest body is still remembered")
		}
		if v, ok := c.get(bodyKey(op, ct, last), ct, last); !ok || v != string(last) {
			t.Error("the newest body is not remembered with its value")
		}
	})
	t.Run("parameter values", func(t *testing.T) {
		var m paramMemo
		key := func(i int) paramMemoKey {
			return paramMemoKey{present: true, raw: string(filler(i, maxMemoBytes/64-64))}
		}
		for i := range distinct {
			m.add(key(i))
			if m.bytes > maxMemoBytes {
				t.Fatalf("after %d values the memo holds %d bytes, over %d", i+1, m.bytes, maxMemoBytes)
			}
		}
		if m.seen(key(0)) || !m.seen(key(distinct-1)) {
			t.Error("the memo did not start over")
		}
		huge := paramMemoKey{present: true, raw: strings.Repeat("x", maxMemoBytes/64+1)}
		if m.add(huge); m.seen(huge) {
			t.Error("a value over the per-entry limit was kept")
		}
	})
}

// filler is size bytes that start with i, distinct for each i.
func filler(i, size int) []byte {
	b := bytes.Repeat([]byte("x"), size)
	copy(b, strconv.Itoa(i)+":")
	return b
}
