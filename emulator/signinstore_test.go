package emulator

import (
	"strconv"
	"testing"
)

func TestSignInStoreKeepsNewestInOrder(t *testing.T) {
	for _, tc := range []struct {
		name      string
		max, adds int
	}{
		{"below the cap", 5, 3},
		{"exactly the cap", 5, 5},
		{"wrapped once", 5, 7},
		{"wrapped many times", 3, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSignInStore(tc.max)
			for i := 0; i < tc.adds; i++ {
				s.add(SignIn{ID: strconv.Itoa(i)})
			}
			got := s.newestFirst()
			want := min(tc.max, tc.adds)
			if len(got) != want {
				t.Fatalf("%d records, want %d", len(got), want)
			}
			for i, si := range got {
				if w := strconv.Itoa(tc.adds - 1 - i); si.ID != w {
					t.Fatalf("record %d is %s, want %s (newest first)", i, si.ID, w)
				}
			}
		})
	}
}

func BenchmarkSignInStoreAddFull(b *testing.B) {
	s := newSignInStore(10000)
	for i := 0; i < 10000; i++ {
		s.add(SignIn{ID: strconv.Itoa(i)})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.add(SignIn{ID: "x"})
	}
}
