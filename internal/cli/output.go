package cli

import (
	"fmt"
	"os"
	"strings"
)

func osGetenv(k string) string { return os.Getenv(k) }

// checkOutput validates an --output value against the closed set a command
// supports, before any work is done.
func checkOutput(value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return usageError(fmt.Errorf("--output %q: must be one of %s", value, strings.Join(allowed, ", ")))
}
