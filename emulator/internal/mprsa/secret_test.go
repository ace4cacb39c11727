package mprsa

import (
	"crypto"
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// TestFormatHidesSecrets: printing a key with fmt, with any verb, alone or
// inside a value, shows no prime, no CRT exponent and no limb of one.
func TestFormatHidesSecrets(t *testing.T) {
	k := generate(t, 4)
	var secrets []string
	add := func(x *big.Int) {
		secrets = append(secrets, x.String(), x.Text(16), fmt.Sprintf("%X", x))
	}
	for i := range k.primes {
		add(k.primes[i])
		add(k.exps[i])
	}
	for _, f := range k.fixed {
		for _, w := range f.d {
			if w > 1<<20 {
				secrets = append(secrets, fmt.Sprint(w), fmt.Sprintf("%x", w))
			}
		}
	}
	type holder struct {
		Key    *PrivateKey
		Signer crypto.Signer
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%d", "%s", "%x", "%X", "%q"} {
		for _, v := range []any{k, holder{k, k}, []*PrivateKey{k}} {
			out := fmt.Sprintf(verb, v)
			for _, sec := range secrets {
				if strings.Contains(strings.ToLower(out), strings.ToLower(sec)) {
					t.Fatalf("fmt %s of %T prints a secret value: %.120s…", verb, v, out)
				}
			}
		}
	}
	if out := fmt.Sprint(k); !strings.Contains(out, "2048 bits, 4 primes") {
		t.Fatalf("fmt of the key = %.80q, want its size", out)
	}
}

// TestBlinding: every signature's exponentiation is given a blinded value
// (never the message itself), the pair r^e, r^-1 stays consistent as it
// is squared, and a fresh r is drawn every blindRefresh signatures.
func TestBlinding(t *testing.T) {
	k := generate(t, 4)
	n, e := k.pub.N, k.e
	var prevRE *big.Int
	for i := range 3*blindRefresh + 2 {
		re, rinv, err := k.blind.next(n, e)
		if err != nil {
			t.Fatal(err)
		}
		// re = r^e and rinv = r^-1, so re * rinv^e = 1 mod n.
		if x := new(big.Int).Exp(rinv, e, n); x.Mul(x, re).Mod(x, n).Cmp(big.NewInt(1)) != 0 {
			t.Fatalf("use %d: r^e and r^-1 do not match", i)
		}
		squared := prevRE != nil && new(big.Int).Mul(prevRE, prevRE).Mod(new(big.Int).Mul(prevRE, prevRE), n).Cmp(re) == 0
		if fresh := i%blindRefresh == 0; fresh == squared {
			t.Fatalf("use %d: squared %v, want a fresh r exactly every %d uses", i, squared, blindRefresh)
		}
		prevRE = re
	}
	seen := 0
	crtInput = func(m, c *big.Int) {
		seen++
		if c.Cmp(m) == 0 {
			t.Errorf("the exponentiation was given the message itself")
		}
	}
	defer func() { crtInput = nil }()
	d := sha256.Sum256([]byte("blinded"))
	for range 3 {
		if _, err := k.Sign(nil, d[:], crypto.SHA256); err != nil {
			t.Fatal(err)
		}
	}
	if seen != 3 {
		t.Fatalf("the exponentiation hook saw %d signatures, want 3", seen)
	}
}
