// Package mprsa signs with multi-prime RSA keys (RFC 8017, section 3.2)
// using CRT exponentiation, so that the emulator issues RS256 tokens more
// than twice as fast as Go's crypto/rsa does with an ordinary two-prime key.
//
// Why: nearly all the CPU the emulator spends on a token is its one
// RSA-2048 signature. A 2048-bit modulus made of four 512-bit primes is
// exponentiated as four 512-bit exponentiations combined with Garner's
// formula: a quarter of the arithmetic of two 1024-bit ones in theory, about
// half the time in practice. Verifiers see only n
// and e, so every JWT library verifies these signatures as before; the key
// is simply an RSA-2048 key. crypto/rsa accepts multi-prime keys but signs
// with them without CRT (slower than two primes), hence this signer.
//
// Strength: four 512-bit factors are more than the three primes usually
// advised for a 2048-bit modulus (FIPS 186 allows two), because the
// elliptic-curve method's cost depends on the size of the smallest factor:
// these keys are below nominal RSA-2048 strength (rough estimates put a
// 512-bit factor at 2^90 to 2^100 operations by ECM, against about 2^112 for
// the number field sieve on the modulus). That is still far beyond any
// published factorisation (the ECM record is a factor of about 274 bits),
// and these keys belong to a local test emulator and live in memory for
// one run only.
//
// Side channels: for a key of four 512-bit primes (what Generate(2048, 4)
// makes) the four exponentiations with the private exponents d mod (p-1),
// including the reduction of their input modulo each prime, run in the
// fixed-size Montgomery arithmetic of mont.go, written without branches or
// memory indices that depend on a secret (and checked to compile so, with
// go build -gcflags=-S on amd64 and arm64 with Go 1.26; no test pins what
// the compiler emits). math/big, which is not constant-time, still does
// the rest: the blinding (below), Garner's recombination of the four
// results, key generation and its precomputed values, and the whole
// exponentiation for keys of any other shape. For those other shapes the
// exponentiation is not protected: math/big's Exp picks table entries by
// the secret exponent's bits, and blinding randomizes only the base; the
// emulator only makes four-prime 2048-bit keys. In Garner's step math/big's
// timing varies mostly with the lengths of its operands, and those are
// blinded: every signature is computed on m r^e for a secret random r and
// the result multiplied by r^-1, with r squared after each use and drawn
// afresh every 32 uses, so the per-signature values math/big sees are not
// derived from the message alone (the CRT coefficients it multiplies by are
// fixed secrets of the key). Each signature is verified with the public
// key (by crypto/rsa) before it is returned, so a fault in the computation
// (or a damaged key) yields an error, never a signature that leaks a factor
// of n.
//
// Only generated keys use this signer: a key a user brings as an
// *rsa.PrivateKey keeps crypto/rsa's own signer. The package signs PKCS#1
// v1.5 with SHA-1, SHA-256, SHA-384 or SHA-512 and nothing else; it never
// exports private values, and a key formatted with fmt (any verb) prints
// only its size and public modulus.
package mprsa

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"
)

// Errors a caller can branch on.
var (
	// ErrUnsupported is returned for signing options other than PKCS#1
	// v1.5 with SHA-1, SHA-256, SHA-384 or SHA-512 (PSS among them).
	ErrUnsupported = errors.New("mprsa: only PKCS#1 v1.5 with SHA-1, SHA-256, SHA-384 or SHA-512 is supported")
	// ErrFault is returned when a signature fails its own verification,
	// which means the computation or the key is damaged.
	ErrFault = errors.New("mprsa: signature failed verification with the public key")
)

// publicExponent is e, as every RSA key Entra publishes has.
const publicExponent = 65537

// minPrimeBits is the smallest prime Generate accepts.
const minPrimeBits = 256

// minBits is the smallest modulus Generate accepts: crypto/rsa, which
// verifies every signature, refuses smaller keys.
const minBits = 1024

// PrivateKey is a multi-prime RSA private key with its CRT values. It is
// safe for concurrent use.
type PrivateKey struct {
	pub    rsa.PublicKey
	e      *big.Int
	primes []*big.Int
	exps   []*big.Int // d mod (p_i - 1)
	coeffs []*big.Int // (p_0 ... p_{i-1})^-1 mod p_i; coeffs[0] unused
	prods  []*big.Int // p_0 ... p_{i-1}; prods[0] unused
	// fixed is set when the key is four primes of exactly primeBits
	// each: each prime's Montgomery values and d mod (p_i - 1) as limbs,
	// for the constant-time exponentiations of mont.go.
	fixed []fixedPrime
	blind blinding
}

// fixedPrime is one prime's share of the fixed-size CRT path.
type fixedPrime struct {
	mod *modulus
	d   limbs // d mod (p_i - 1)
}

// Format prints the key's size, number of primes and public modulus, for
// every verb: the default formatting would print the private values (one
// CRT exponent is enough to factor n).
func (k *PrivateKey) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "mprsa.PrivateKey{%d bits, %d primes, N=%x}", k.pub.N.BitLen(), len(k.primes), k.pub.N)
}

// Generate makes a key whose modulus is exactly bits long, the product of
// nprimes distinct primes of about bits/nprimes bits each, with e = 65537.
// bits must be at least 1024. Each prime is exactly its share of bits
// long, with the top bit set (crypto/rand.Prime), so Generate(2048, 4)
// makes four 512-bit primes and gets the fixed-size signer. It reads
// crypto/rand.
func Generate(bits, nprimes int) (*PrivateKey, error) {
	if nprimes < 2 || bits/nprimes < minPrimeBits || bits < minBits {
		return nil, fmt.Errorf("mprsa: generate %d-bit key with %d primes: need at least %d bits and at least 2 primes of at least %d bits", bits, nprimes, minBits, minPrimeBits)
	}
	e := big.NewInt(publicExponent)
	for {
		primes, err := drawPrimes(bits, nprimes, e)
		if err != nil {
			return nil, fmt.Errorf("mprsa: generate key: %w", err)
		}
		n := big.NewInt(1)
		for _, p := range primes {
			n.Mul(n, p)
		}
		if n.BitLen() != bits {
			continue // the primes' top bits multiplied to a short modulus
		}
		return newKey(primes, e)
	}
}

// drawPrimes returns nprimes distinct primes p with gcd(e, p-1) = 1 whose
// sizes add up to bits.
func drawPrimes(bits, nprimes int, e *big.Int) ([]*big.Int, error) {
	var primes []*big.Int
	one := big.NewInt(1)
	for len(primes) < nprimes {
		size := bits / nprimes
		if len(primes) == nprimes-1 {
			size = bits - (nprimes-1)*(bits/nprimes)
		}
		p, err := rand.Prime(rand.Reader, size)
		if err != nil {
			return nil, err
		}
		pm1 := new(big.Int).Sub(p, one)
		if new(big.Int).GCD(nil, nil, e, pm1).Cmp(one) != 0 || contains(primes, p) {
			continue
		}
		primes = append(primes, p)
	}
	return primes, nil
}

func contains(xs []*big.Int, x *big.Int) bool {
	for _, y := range xs {
		if y.Cmp(x) == 0 {
			return true
		}
	}
	return false
}

// newKey computes n and the CRT values from the primes.
func newKey(primes []*big.Int, e *big.Int) (*PrivateKey, error) {
	k := &PrivateKey{e: e, primes: primes}
	n := big.NewInt(1)
	one := big.NewInt(1)
	for i, p := range primes {
		d := new(big.Int).ModInverse(e, new(big.Int).Sub(p, one))
		if d == nil {
			return nil, errors.New("mprsa: e is not invertible modulo p-1")
		}
		k.exps = append(k.exps, d)
		if i == 0 {
			k.coeffs = append(k.coeffs, nil)
			k.prods = append(k.prods, nil)
		} else {
			c := new(big.Int).ModInverse(n, p)
			if c == nil {
				return nil, errors.New("mprsa: primes are not coprime")
			}
			k.coeffs = append(k.coeffs, c)
			k.prods = append(k.prods, new(big.Int).Set(n))
		}
		n.Mul(n, p)
	}
	k.pub = rsa.PublicKey{N: n, E: int(e.Int64())}
	if fixedSize(primes) {
		for i, p := range primes {
			k.fixed = append(k.fixed, fixedPrime{mod: newModulus(p), d: toLimbs(k.exps[i])})
		}
	}
	return k, nil
}

// fixedSize reports whether the fixed-size path fits the primes: four odd
// primes of exactly primeBits (as Generate(2048, 4) makes them, since
// rand.Prime sets the top bits), so the modulus is at most 2048 bits.
func fixedSize(primes []*big.Int) bool {
	if len(primes) != 4 {
		return false
	}
	for _, p := range primes {
		if p.BitLen() != primeBits || p.Bit(0) != 1 {
			return false
		}
	}
	return true
}

// Public returns the *rsa.PublicKey, as crypto.Signer requires.
func (k *PrivateKey) Public() crypto.PublicKey { return k.PublicKey() }

// PublicKey returns a copy of the public key.
func (k *PrivateKey) PublicKey() *rsa.PublicKey {
	return &rsa.PublicKey{N: new(big.Int).Set(k.pub.N), E: k.pub.E}
}

// Sign signs digest with PKCS#1 v1.5 for opts.HashFunc(), as
// rsa.SignPKCS1v15 does; the signature is identical. Blinding always reads
// crypto/rand: the random argument is ignored, as crypto/rsa ignores it
// since Go 1.26.
func (k *PrivateKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if _, pss := opts.(*rsa.PSSOptions); pss {
		return nil, fmt.Errorf("sign with PSS: %w", ErrUnsupported)
	}
	em, err := encodePKCS1v15(opts.HashFunc(), digest, (k.pub.N.BitLen()+7)/8)
	if err != nil {
		return nil, err
	}
	m := new(big.Int).SetBytes(em)
	s, err := k.blindedExp(m)
	if err != nil {
		return nil, err
	}
	sig := s.FillBytes(make([]byte, len(em)))
	// crypto/rsa verifies several times faster than math/big's Exp with
	// e = 65537 (which, for a one-limb exponent, reduces by long division),
	// and checks the very bytes returned.
	if rsa.VerifyPKCS1v15(&k.pub, opts.HashFunc(), digest, sig) != nil {
		return nil, ErrFault
	}
	return sig, nil
}

// blindedExp returns m^d mod n computed as ((m r^e)^d) r^-1, so the
// exponentiations never see m itself.
func (k *PrivateKey) blindedExp(m *big.Int) (*big.Int, error) {
	re, rinv, err := k.blind.next(k.pub.N, k.e)
	if err != nil {
		return nil, err
	}
	c := re.Mul(re, m).Mod(re, k.pub.N)
	if crtInput != nil {
		crtInput(m, c)
	}
	s := k.crt(c)
	return s.Mul(s, rinv).Mod(s, k.pub.N), nil
}

// crtInput, when a test sets it, sees each message and the value the
// exponentiation is given for it.
var crtInput func(m, c *big.Int)

// blindRefresh is how many signatures share one random r, each with the
// square of the previous factor, before a fresh r is drawn.
const blindRefresh = 32

// blinding holds the current blinding pair r^e and r^-1 mod n. Drawing a
// fresh r costs a modular inverse and an exponentiation, about an eighth of
// a signature, so, as Kocher proposed and OpenSSL does, each use squares
// the pair instead (r -> r^2 keeps r^e and r^-1 consistent) and a fresh r
// is drawn every blindRefresh uses.
type blinding struct {
	mu       sync.Mutex
	re, rinv *big.Int
	uses     int
}

// next returns copies of the pair to use now and advances it.
func (b *blinding) next(n, e *big.Int) (re, rinv *big.Int, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.re == nil || b.uses >= blindRefresh {
		if err := b.fresh(n, e); err != nil {
			return nil, nil, err
		}
	} else {
		b.re.Mul(b.re, b.re).Mod(b.re, n)
		b.rinv.Mul(b.rinv, b.rinv).Mod(b.rinv, n)
	}
	b.uses++
	return new(big.Int).Set(b.re), new(big.Int).Set(b.rinv), nil
}

// fresh draws a random r invertible modulo n.
func (b *blinding) fresh(n, e *big.Int) error {
	for {
		r, err := rand.Int(rand.Reader, n)
		if err != nil {
			return fmt.Errorf("mprsa: blinding: %w", err)
		}
		if r.Sign() == 0 {
			continue
		}
		if rinv := new(big.Int).ModInverse(r, n); rinv != nil { // nil when r shares a factor with n
			b.re, b.rinv, b.uses = r.Exp(r, e, n), rinv, 0
			return nil
		}
	}
}

// crt returns c^d mod n, c < n, by Garner's formula over the primes
// (RFC 8017, section 5.1.2, step 2b), with the constant-time fixed-size
// exponentiations when the key allows them.
func (k *PrivateKey) crt(c *big.Int) *big.Int {
	if k.fixed == nil {
		return k.crtBig(c)
	}
	var buf [256]byte
	c.FillBytes(buf[:])
	xs := make([]*big.Int, len(k.fixed))
	for i, f := range k.fixed {
		base := f.mod.reduce(&buf)
		r := f.mod.exp(&base, &f.d)
		x := f.mod.fromMont(&r)
		xs[i] = x.bigInt()
	}
	return k.garner(xs)
}

// crtBig is crt with math/big's (variable-time) exponentiation, for keys
// whose primes are not four of primeBits.
func (k *PrivateKey) crtBig(c *big.Int) *big.Int {
	xs := make([]*big.Int, len(k.primes))
	for i, p := range k.primes {
		xs[i] = new(big.Int).Exp(new(big.Int).Mod(c, p), k.exps[i], p)
	}
	return k.garner(xs)
}

// garner combines x_i = c^d mod p_i into c^d mod n.
func (k *PrivateKey) garner(xs []*big.Int) *big.Int {
	x := xs[0]
	h := new(big.Int)
	for i := 1; i < len(k.primes); i++ {
		p := k.primes[i]
		h.Mod(x, p)
		h.Sub(xs[i], h).Mul(h, k.coeffs[i]).Mod(h, p) // (x_i - x) R_i^-1 mod p_i
		x.Add(x, h.Mul(h, k.prods[i]))
	}
	return x
}
