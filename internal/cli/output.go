package cli

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
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

func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// newAccessToken returns a random token for servers that bind beyond
// loopback.
func newAccessToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
