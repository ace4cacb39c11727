package alert

import (
	"bytes"
	"testing"
)

func FuzzLoad(f *testing.F) {
	f.Add([]byte(allRules))
	f.Add([]byte("rules:\n  - name: a\n    window: 7d\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Load(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			return
		}
		for i := range file.Rules {
			_ = KQL(&file.Rules[i])
		}
	})
}
