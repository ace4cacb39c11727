// Package watch keeps a sign-in store up to date, from files dropped in a
// folder or from Microsoft Graph's /auditLogs/signIns, and evaluates alert
// rules as records arrive. It must not print: callers get results through
// callbacks.
package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/aadsts/aadsts/graphapi"
	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/alert"
)

// Watcher imports and evaluates.
type Watcher struct {
	Store signins.Store
	// Rules may be nil: then nothing is evaluated.
	Rules *alert.File
	// Now returns the evaluation time; default time.Now.
	Now func() time.Time
	// OnImport is called after each imported input.
	OnImport func(signins.ImportResult)
	// OnAlert is called after each evaluation that found new records.
	OnAlert func([]alert.Result)

	seen map[string]fileState
}

type fileState struct {
	size int64
	mod  time.Time
}

func (w *Watcher) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now().UTC()
}

func (w *Watcher) evaluate(ctx context.Context) error {
	if w.Rules == nil {
		return nil
	}
	res, err := alert.Evaluate(ctx, w.Store, w.Rules, w.now())
	if err != nil {
		return err
	}
	if w.OnAlert != nil {
		w.OnAlert(res)
	}
	return nil
}

// FolderPass imports the files of dir that are new or changed since the
// last pass (by size and modification time), then evaluates the rules if
// anything was added. It returns the number of records added.
func (w *Watcher) FolderPass(ctx context.Context, dir string) (int, error) {
	if w.seen == nil {
		w.seen = map[string]fileState{}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("watch %s: %w", dir, err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	added := 0
	for _, e := range entries {
		if e.IsDir() || e.Name()[0] == '.' {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		path := filepath.Join(dir, e.Name())
		st := fileState{info.Size(), info.ModTime()}
		if old, ok := w.seen[path]; ok && old == st {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return added, fmt.Errorf("watch: %w", err)
		}
		res, err := signins.Import(ctx, w.Store, f, path, signins.ImportOptions{})
		f.Close()
		if err != nil && ctx.Err() != nil {
			return added, err
		}
		if err != nil {
			res.BadCount++
			res.Bad = append(res.Bad, signins.BadRecord{File: path, Reason: err.Error()})
		}
		w.seen[path] = st
		added += res.SignInsAdded + res.AuditsAdded
		if w.OnImport != nil {
			w.OnImport(res)
		}
	}
	if added > 0 {
		return added, w.evaluate(ctx)
	}
	return 0, nil
}

// errOlder stops paging once the pages reach records already seen.
var errOlder = errors.New("reached older records")

// GraphPass reads /auditLogs/signIns newest first, down to since (minus
// an overlap for late-arriving records), stores what it read and
// evaluates the rules. It returns the newest createdDateTime seen, to pass
// as since next time. Paging and 429 Retry-After are the client's.
func (w *Watcher) GraphPass(ctx context.Context, c *graphapi.Client, path string, since time.Time, overlap time.Duration) (time.Time, int, error) {
	var items []json.RawMessage
	newest := since
	stopAt := since.Add(-overlap)
	err := c.Each(ctx, path, func(raw json.RawMessage) error {
		var head struct {
			Created string `json:"createdDateTime"`
		}
		_ = json.Unmarshal(raw, &head)
		if t, err := signins.ParseTime(head.Created); err == nil {
			if !since.IsZero() && t.Before(stopAt) {
				return errOlder
			}
			if t.After(newest) {
				newest = t
			}
		}
		items = append(items, raw)
		return nil
	})
	if err != nil && !errors.Is(err, errOlder) {
		return since, 0, fmt.Errorf("watch graph: %w", err)
	}
	if len(items) == 0 {
		return newest, 0, nil
	}
	doc, _ := json.Marshal(map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns", "value": items})
	res, err := signins.Import(ctx, w.Store, bytes.NewReader(doc), "graph:/auditLogs/signIns", signins.ImportOptions{})
	if err != nil {
		return since, 0, err
	}
	if w.OnImport != nil {
		w.OnImport(res)
	}
	added := res.SignInsAdded
	if added > 0 {
		return newest, added, w.evaluate(ctx)
	}
	return newest, 0, nil
}

// Loop calls pass every interval until ctx ends; a pass error is handed
// to onErr and the loop goes on.
func Loop(ctx context.Context, interval time.Duration, pass func(context.Context) error, onErr func(error)) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := pass(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
