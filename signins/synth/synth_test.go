package synth

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/aadsts/aadsts/signins"
)

func TestGenerateDecodes(t *testing.T) {
	samples, err := os.ReadFile("../../../shared/data/signins/elastic_test-service-principal-signinlogs-sample.log")
	if err != nil {
		t.Skipf("shared sample missing: %v", err)
	}
	var out bytes.Buffer
	if err := Generate(&out, bytes.NewReader(samples), Options{N: 100}); err != nil {
		t.Fatal(err)
	}
	var recs []*signins.Record
	bad := 0
	err = signins.Decode(context.Background(), &out, "synth.log", signins.DecodeOptions{}, func(items []signins.Item) error {
		for _, it := range items {
			if it.SignIn != nil {
				recs = append(recs, it.SignIn)
			} else {
				bad++
			}
		}
		return nil
	})
	if err != nil || bad != 0 || len(recs) != 100 {
		t.Fatalf("decoded %d records, %d bad, %v", len(recs), bad, err)
	}
	fails, ids := 0, map[string]bool{}
	for _, r := range recs {
		ids[r.ID] = true
		if r.Kind != signins.KindServicePrincipal || r.CredentialKeyID == "" {
			t.Fatalf("record %+v", r)
		}
		if r.Code != 0 {
			fails++
		}
	}
	if fails != 10 || len(ids) != 100 {
		t.Fatalf("%d failures, %d distinct ids", fails, len(ids))
	}
}
