package emulator

import (
	"sync"
	"time"
)

// Clock is the emulator's time: a base clock plus an offset that the admin
// API, the CLI or a test can move, to make tokens, secrets and assertions
// expire without waiting.
type Clock struct {
	base   func() time.Time
	mu     sync.RWMutex
	offset time.Duration
}

// NewClock returns a clock reading base (time.Now when nil) plus an offset.
func NewClock(base func() time.Time) *Clock {
	if base == nil {
		base = time.Now
	}
	return &Clock{base: base}
}

// Now returns the emulated time, in UTC.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.base().Add(c.offset).UTC()
}

// Offset returns the current offset from the base clock.
func (c *Clock) Offset() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.offset
}

// SetOffset moves the emulated time to base + d.
func (c *Clock) SetOffset(d time.Duration) {
	c.mu.Lock()
	c.offset = d
	c.mu.Unlock()
}
