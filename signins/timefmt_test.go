package signins

import (
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	want := time.Date(2007, 1, 9, 9, 41, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"01/09/2007 09:41:00", want},
		{"1/9/2007 09:41:00", want},
		{"01/09/2007 09:41:00 AM", want},
		{"1/9/2007 9:41:00 AM", want},
		{"1/9/2007 10:41:00 AM +01:00", want},
		{"2007-01-09T09:41:00", want},
		{"2007-01-09T09:41:00.22Z", want.Add(220 * time.Millisecond)},
		{"2007-01-09T09:41:00.6816663Z", want.Add(681666300)},
		{"2007-01-09T09:41:00.535404056Z", want.Add(535404056)},
		{"2007-01-09T09:41:00.992099+00:00", want.Add(992099000)},
		{"2007-01-09T11:41:00+02:00", want},
		{"9/19/2023, 1:45:17.287 PM", time.Date(2023, 9, 19, 13, 45, 17, 287e6, time.UTC)},
		{"12/12/2025 3:03:58 PM", time.Date(2025, 12, 12, 15, 3, 58, 0, time.UTC)},
		{"19.9.2023, 13:45:17.287", time.Date(2023, 9, 19, 13, 45, 17, 287e6, time.UTC)},
		{"19/09/2023, 13:45:17.287", time.Date(2023, 9, 19, 13, 45, 17, 287e6, time.UTC)},
		{"/Date(1695131117287)/", time.Date(2023, 9, 19, 13, 45, 17, 287e6, time.UTC)},
		{"/Date(1695131117287+0200)/", time.Date(2023, 9, 19, 13, 45, 17, 287e6, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in)
			if err != nil || !got.Equal(tt.want) {
				t.Fatalf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
	if _, err := ParseTime("yesterday"); err == nil {
		t.Fatal("ParseTime accepted nonsense")
	}
}

func TestOutcomeOf(t *testing.T) {
	tests := []struct {
		code int
		want Outcome
	}{
		{0, OutcomeSuccess}, {50076, OutcomeInterrupt}, {50079, OutcomeInterrupt}, {50058, OutcomeInterrupt},
		{50140, OutcomeInterrupt}, {16000, OutcomeInterrupt}, {7000222, OutcomeFailure}, {50126, OutcomeFailure},
	}
	for _, tt := range tests {
		if got := OutcomeOf(tt.code); got != tt.want {
			t.Errorf("OutcomeOf(%d) = %s, want %s", tt.code, got, tt.want)
		}
	}
}

func TestKeyDescriptionDiff(t *testing.T) {
	old := `["[KeyIdentifier=a,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=x]","[KeyIdentifier=b,KeyType=Password,KeyUsage=Verify,DisplayName=ci]"]`
	nw := `["[KeyIdentifier=b, KeyType=Password, KeyUsage=Verify, DisplayName=ci]","[KeyIdentifier=c,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=y]"]`
	got := diffKeys(old, nw)
	if len(got) != 2 || got[0].Action != "added" || got[0].KeyID != "c" || got[1].Action != "removed" || got[1].KeyID != "a" || got[1].DisplayName != "CN=x" {
		t.Fatalf("diffKeys = %+v", got)
	}
}

// TestParseTimeRange: times that are not a sign-in's (year 1 for "no
// date", years that overflow nanoseconds, before 1970) are errors that
// name the time, not records stored at a wrapped-around instant.
func TestParseTimeRange(t *testing.T) {
	for _, s := range []string{"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "/Date(-1000)/", "1/1/0001 12:00:00 AM", "2262-01-01T00:00:00Z"} {
		if got, err := ParseTime(s); err == nil || !strings.Contains(err.Error(), "outside 1970 to 2261") {
			t.Errorf("ParseTime(%q) = %v, %v; want out of range", s, got, err)
		}
	}
	for _, s := range []string{"1970-01-01T00:00:00Z", "2261-12-31T23:59:59.999999999Z"} {
		if _, err := ParseTime(s); err != nil {
			t.Errorf("ParseTime(%q): %v", s, err)
		}
	}
}
