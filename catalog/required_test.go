package catalog

import "testing"

// requiredGuides are the codes issue 2 requires a deep guide for.
var requiredGuides = []int{
	700027, 50013, 700024, 700023, 700021, 50027, 5002723, 5002738, 90014, 50048,
	7000215, 7000222, 7000218, 7000216, 700025, 700016, 7000229, 7000112, 90002, 900023,
	900144, 9001023, 70011, 1002012, 500011, 65001, 50011, 70021, 700211, 700212,
	700213, 7002137, 7002138, 700082, 70043, 50173, 50076, 50079, 53003, 50126,
	50034, 50020, 9002313, 9002326, 54005, 50058, 50000, 50012, 70002,
}

func TestRequiredGuides(t *testing.T) {
	c := Default()
	var missing []int
	for _, code := range requiredGuides {
		e, ok := c.Lookup(code)
		if !ok {
			t.Errorf("required code %d is not in the catalog", code)
			continue
		}
		if e.Guide == nil {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d required codes have no (valid) deep guide: %v", len(missing), missing)
	}
}
