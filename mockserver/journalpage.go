package mockserver

import (
	"errors"
	"strconv"
)

// maxJournalPage is the most entries one GET /__mock/requests returns.
const maxJournalPage = 1000

// journalPage is one page of GET /__mock/requests: the newest entries
// before the cursor, oldest first, and the cursor of the older ones.
type journalPage struct {
	Requests []Entry `json:"requests"`
	// Next, when set, is the cursor that fetches the entries before these.
	Next string `json:"next,omitempty"`
}

// pageRequests pages entries (oldest first) from the newest back: limit
// (at most 1000, the default) entries whose seq is below cursor.
func pageRequests(entries []Entry, limit, cursor string) (journalPage, error) {
	n := maxJournalPage
	if limit != "" {
		v, err := strconv.Atoi(limit)
		if err != nil || v < 1 {
			return journalPage{}, errors.New("limit must be a positive integer")
		}
		n = min(v, maxJournalPage)
	}
	if cursor != "" {
		before, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || before < 1 {
			return journalPage{}, errors.New("cursor must be the next value of an earlier page")
		}
		end := len(entries)
		for end > 0 && entries[end-1].Seq >= before {
			end--
		}
		entries = entries[:end]
	}
	page := journalPage{Requests: entries}
	if len(entries) > n {
		page.Requests = entries[len(entries)-n:]
		page.Next = strconv.FormatInt(page.Requests[0].Seq, 10)
	}
	return page, nil
}
