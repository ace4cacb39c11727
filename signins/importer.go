package signins

import (
	"context"
	"fmt"
	"io"
	"sync"
)

// ImportOptions tune Import.
type ImportOptions struct {
	// BatchSize is the number of records stored per transaction.
	BatchSize int
	Decode    DecodeOptions
	// Progress, when set, is called after each stored batch with the
	// running totals of this input, from the goroutine that stores
	// batches (one call at a time, all before Import returns).
	Progress func(ImportResult)
}

// ImportResult is what importing one input did.
type ImportResult struct {
	File string `json:"file"`
	// Read is the number of records read (sign-ins and audit events).
	Read         int         `json:"read"`
	SignIns      int         `json:"signins"`
	Audits       int         `json:"audits"`
	SignInsAdded int         `json:"signins_added"`
	AuditsAdded  int         `json:"audits_added"`
	Duplicates   int         `json:"duplicates"`
	BadCount     int         `json:"bad"`
	Bad          []BadRecord `json:"bad_records,omitempty"`
	Formats      []Format    `json:"formats,omitempty"`
}

// maxBadKept bounds the bad records kept in a result; all are counted.
const maxBadKept = 1000

// Import decodes one input and stores its records in batches. Each batch is
// stored atomically, so an import stopped at any point leaves whole batches
// behind, and running it again completes it (records are idempotent). A
// record that cannot be read is counted and kept in the result with its
// line and reason; only an unreadable input or a store failure is an error.
func Import(ctx context.Context, st Store, r io.Reader, name string, opt ImportOptions) (ImportResult, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 5000
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Batches are stored on their own goroutine while the next one is
	// decoded; res is shared with it under mu.
	var mu sync.Mutex
	res := ImportResult{File: name}
	batches := make(chan Batch, 1)
	stored := make(chan error, 1)
	go func() {
		var failed error
		for b := range batches {
			if failed != nil {
				continue
			}
			pr, err := st.Put(ctx, b)
			if err != nil {
				failed = fmt.Errorf("import %s: %w", name, err)
				cancel()
				continue
			}
			mu.Lock()
			res.SignInsAdded += pr.SignInsAdded
			res.AuditsAdded += pr.AuditsAdded
			res.Duplicates += pr.Duplicates
			snap := res
			mu.Unlock()
			if opt.Progress != nil {
				opt.Progress(snap)
			}
		}
		stored <- failed
	}()
	var batch Batch
	seenFormat := map[Format]bool{}
	flush := func() {
		if batch.Len() > 0 {
			batches <- batch
			batch = Batch{}
		}
	}
	err := Decode(ctx, r, name, opt.Decode, func(items []Item) error {
		mu.Lock()
		defer mu.Unlock()
		for _, it := range items {
			switch {
			case it.SignIn != nil:
				res.Read++
				res.SignIns++
				batch.SignIns = append(batch.SignIns, it.SignIn)
				if !seenFormat[it.SignIn.Format] {
					seenFormat[it.SignIn.Format] = true
					res.Formats = append(res.Formats, it.SignIn.Format)
				}
			case it.Audit != nil:
				res.Read++
				res.Audits++
				batch.Audits = append(batch.Audits, it.Audit)
				if !seenFormat[it.Audit.Format] {
					seenFormat[it.Audit.Format] = true
					res.Formats = append(res.Formats, it.Audit.Format)
				}
			case it.Bad != nil:
				res.BadCount++
				if len(res.Bad) < maxBadKept {
					res.Bad = append(res.Bad, *it.Bad)
				}
			}
			if batch.Len() >= opt.BatchSize {
				mu.Unlock()
				flush()
				mu.Lock()
			}
		}
		return ctx.Err()
	})
	if err == nil {
		flush()
	}
	close(batches)
	putErr := <-stored
	mu.Lock()
	defer mu.Unlock()
	if putErr != nil {
		return res, putErr
	}
	return res, err
}
