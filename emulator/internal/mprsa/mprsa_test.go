package mprsa

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"
)

func generate(t testing.TB, nprimes int) *PrivateKey {
	t.Helper()
	k, err := Generate(2048, nprimes)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// stdKey is the same key as a crypto/rsa key, whose (slow, non-CRT)
// multi-prime signer is the reference.
func stdKey(t testing.TB, k *PrivateKey) *rsa.PrivateKey {
	t.Helper()
	one := big.NewInt(1)
	lambda := big.NewInt(1)
	for _, p := range k.primes {
		pm1 := new(big.Int).Sub(p, one)
		g := new(big.Int).GCD(nil, nil, lambda, pm1)
		lambda.Mul(lambda, pm1).Div(lambda, g)
	}
	std := &rsa.PrivateKey{PublicKey: *k.PublicKey(), D: new(big.Int).ModInverse(k.e, lambda), Primes: k.primes}
	if err := std.Validate(); err != nil {
		t.Fatalf("reference key: %v", err)
	}
	std.Precompute()
	return std
}

func TestGenerate(t *testing.T) {
	for _, nprimes := range []int{2, 3, 4} {
		t.Run(fmt.Sprintf("%d primes", nprimes), func(t *testing.T) {
			for range 4 {
				k := generate(t, nprimes)
				if got := k.pub.N.BitLen(); got != 2048 {
					t.Fatalf("modulus is %d bits, want 2048", got)
				}
				if k.pub.E != 65537 || len(k.primes) != nprimes {
					t.Fatalf("e = %d with %d primes, want 65537 with %d", k.pub.E, len(k.primes), nprimes)
				}
				n := big.NewInt(1)
				for i, p := range k.primes {
					if !p.ProbablyPrime(20) {
						t.Fatalf("prime %d is composite", i)
					}
					if contains(k.primes[:i], p) {
						t.Fatalf("prime %d repeats", i)
					}
					n.Mul(n, p)
				}
				if n.Cmp(k.pub.N) != 0 {
					t.Fatal("n is not the product of the primes")
				}
			}
		})
	}
}

func TestGenerateRejects(t *testing.T) {
	for _, c := range []struct{ bits, nprimes int }{{2048, 1}, {2048, 9}, {512, 3}, {1000, 2}} {
		if _, err := Generate(c.bits, c.nprimes); err == nil {
			t.Errorf("Generate(%d, %d) made a key", c.bits, c.nprimes)
		}
	}
}

// TestSignMatchesCryptoRSA: PKCS#1 v1.5 is deterministic, so the bytes
// must equal crypto/rsa's for the same key, and verify against Public().
// Four-prime keys take the fixed-size path, two-prime keys math/big's.
func TestSignMatchesCryptoRSA(t *testing.T) {
	hashes := []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA384, crypto.SHA512}
	for _, c := range []struct{ nprimes, keys, messages int }{{4, 20, 10}, {2, 2, 4}} {
		t.Run(fmt.Sprintf("%d primes", c.nprimes), func(t *testing.T) {
			for range c.keys {
				k := generate(t, c.nprimes)
				if fixed := k.fixed != nil; fixed != (c.nprimes == 4) {
					t.Fatalf("fixed-size path used: %v with %d primes", fixed, c.nprimes)
				}
				std := stdKey(t, k)
				pub, ok := k.Public().(*rsa.PublicKey)
				if !ok {
					t.Fatalf("Public() is %T", k.Public())
				}
				for i := range c.messages {
					h := hashes[i%len(hashes)]
					msg := make([]byte, 32)
					rand.Read(msg)
					w := h.New()
					w.Write(msg)
					digest := w.Sum(nil)
					got, err := k.Sign(rand.Reader, digest, h)
					if err != nil {
						t.Fatal(err)
					}
					want, err := rsa.SignPKCS1v15(nil, std, h, digest)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, want) {
						t.Fatalf("%v signature of %x differs from crypto/rsa's", h, msg)
					}
					if err := rsa.VerifyPKCS1v15(pub, h, digest, got); err != nil {
						t.Fatalf("verify: %v", err)
					}
				}
			}
		})
	}
}

// TestFaultCaught damages each kind of precomputed value: the signature
// check must turn the bad result into ErrFault.
func TestFaultCaught(t *testing.T) {
	digest := sha256.Sum256([]byte("header.claims"))
	for _, c := range []struct {
		name      string
		damage    func(k *PrivateKey)
		fixedOnly bool // damages the fixed-size path only
	}{
		{"exponent", func(k *PrivateKey) {
			if k.fixed != nil {
				k.fixed[1].d[0] += 2
			} else {
				k.exps[1].Add(k.exps[1], big.NewInt(2))
			}
		}, false},
		{"coefficient", func(k *PrivateKey) { k.coeffs[1].Add(k.coeffs[1], big.NewInt(1)) }, false},
		{"product", func(k *PrivateKey) { k.prods[1].Add(k.prods[1], big.NewInt(1)) }, false},
		{"prime", func(k *PrivateKey) {
			if k.fixed != nil {
				k.fixed[0].mod.p[0] += 2
			} else {
				k.primes[0] = new(big.Int).Add(k.primes[0], big.NewInt(2))
			}
		}, false},
		{"Montgomery constant", func(k *PrivateKey) { k.fixed[1].mod.pinv ^= 1 << 40 }, true},
	} {
		for _, nprimes := range []int{2, 4} {
			if c.fixedOnly && nprimes != 4 {
				continue
			}
			t.Run(fmt.Sprintf("%s %d primes", c.name, nprimes), func(t *testing.T) {
				k := generate(t, nprimes)
				if _, err := k.Sign(nil, digest[:], crypto.SHA256); err != nil {
					t.Fatalf("undamaged key: %v", err)
				}
				c.damage(k)
				sig, err := k.Sign(nil, digest[:], crypto.SHA256)
				if !errors.Is(err, ErrFault) || sig != nil {
					t.Fatalf("damaged key: signature %d bytes, error %v; want none and ErrFault", len(sig), err)
				}
			})
		}
	}
}

func TestSignRejects(t *testing.T) {
	k := generate(t, 4)
	digest := sha256.Sum256([]byte("header.claims"))
	for _, c := range []struct {
		name        string
		digest      []byte
		opts        crypto.SignerOpts
		unsupported bool
	}{
		{"PSS", digest[:], &rsa.PSSOptions{Hash: crypto.SHA256}, true},
		{"no hash", digest[:], crypto.Hash(0), true},
		{"MD5", digest[:16], crypto.MD5, true},
		{"short digest", digest[:31], crypto.SHA256, false},
		{"long digest", append(digest[:], 0), crypto.SHA256, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			sig, err := k.Sign(rand.Reader, c.digest, c.opts)
			if err == nil || sig != nil {
				t.Fatalf("signed (%d bytes)", len(sig))
			}
			if errors.Is(err, ErrUnsupported) != c.unsupported {
				t.Fatalf("error %v: errors.Is ErrUnsupported = %v, want %v", err, !c.unsupported, c.unsupported)
			}
		})
	}
}

// TestCertificate: x509 signs a self-signed certificate through the
// crypto.Signer and checks it with the public key.
func TestCertificate(t *testing.T) {
	k := generate(t, 4)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		t.Fatal(err)
	}
}

func TestSignConcurrent(t *testing.T) {
	k := generate(t, 4)
	pub := k.PublicKey()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			digest := sha256.Sum256([]byte{byte(i)})
			for range 5 {
				sig, err := k.Sign(nil, digest[:], crypto.SHA256)
				if err == nil {
					err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestPublicKeyIsCopy(t *testing.T) {
	k := generate(t, 4)
	k.PublicKey().N.SetInt64(3)
	if k.pub.N.BitLen() != 2048 {
		t.Fatal("changing the returned public key changed the key")
	}
}

var benchDigest = sha256.Sum256([]byte("header.claims"))

// BenchmarkSign is one RS256 signature with a 4-prime RSA-2048 key:
// blinding, CRT exponentiation and the verification of the result.
func BenchmarkSign(b *testing.B) {
	k := generate(b, 4)
	for b.Loop() {
		if _, err := k.Sign(nil, benchDigest[:], crypto.SHA256); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignCryptoRSA is the same signature by crypto/rsa with an
// ordinary two-prime RSA-2048 key, for comparison.
func BenchmarkSignCryptoRSA(b *testing.B) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, benchDigest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCRT is the 4-prime exponentiation alone; BenchmarkSign minus
// this is what blinding and the verification cost.
func BenchmarkCRT(b *testing.B) {
	k := generate(b, 4)
	c, err := rand.Int(rand.Reader, k.pub.N)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		k.crt(c)
	}
}

// BenchmarkGenerate is the start-up cost of a 4-prime RSA-2048 key.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		generate(b, 4)
	}
}
