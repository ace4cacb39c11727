package jose_test

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"

	"github.com/aadsts/aadsts/jose"
)

// Decode names what is wrong with a pasted token instead of only failing.
func ExampleDecode() {
	tok, err := jose.Decode(`Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJhcGk6Ly9kZW1vIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2ln` + "\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok.Alg(), tok.Audiences())
	for _, p := range tok.Problems {
		fmt.Println(p.ID)
	}
	_, err = jose.Decode("eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGk6Ly9k")
	fmt.Println(errors.Is(err, jose.ErrTruncated))
	// Output:
	// RS256 [api://demo]
	// whitespace
	// bearer-prefix
	// truncated
	// true
}

// Verify takes an allow-list: the token's own alg header is not trusted.
func ExampleVerify() {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	raw, _ := jose.Sign(map[string]any{"sub": "demo"}, map[string]any{"typ": "JWT"}, key, "PS256")
	tok, _ := jose.Decode(raw)
	fmt.Println(jose.Verify(tok, &key.PublicKey, jose.EntraAssertionAlgs))
	fmt.Println(errors.Is(jose.Verify(tok, &key.PublicKey, []string{"RS256"}), jose.ErrAlgNotAllowed))
	// Output:
	// <nil>
	// true
}
