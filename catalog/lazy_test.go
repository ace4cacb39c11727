package catalog

import (
	"sync"
	"testing"
)

// TestLazyMatchesLoad checks that the lazily decoded catalog (Default)
// holds the same guides as the eager, validating Load.
func TestLazyMatchesLoad(t *testing.T) {
	eager, err := Load(embedded)
	if err != nil {
		t.Fatal(err)
	}
	var pr problems
	lazy := build(embedded, &pr)
	for _, want := range eager.All() {
		got, ok := lazy.Lookup(want.Code)
		if !ok || (got.Guide == nil) != (want.Guide == nil) {
			t.Errorf("code %d: lazy guide present=%v, eager %v", want.Code, got.Guide != nil, want.Guide != nil)
		}
	}
}

// TestConcurrentUse runs lookups and searches from several goroutines on a
// fresh catalog, for the race detector.
func TestConcurrentUse(t *testing.T) {
	var pr problems
	c := build(embedded, &pr)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, code := range []int{700027, 7000215, 50013, 90002} {
				c.Lookup(code)
			}
			if i == 0 {
				c.Search("secret expired")
			}
		}()
	}
	wg.Wait()
}
