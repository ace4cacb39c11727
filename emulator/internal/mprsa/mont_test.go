package mprsa

import (
	"bytes"
	"crypto/rand"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// testPrime draws a random primeBits prime, as Generate does.
func testPrime(t testing.TB) *big.Int {
	t.Helper()
	p, err := rand.Prime(rand.Reader, primeBits)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// randBelow returns a random number below max.
func randBelow(t testing.TB, max *big.Int) *big.Int {
	t.Helper()
	x, err := rand.Int(rand.Reader, max)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

var montR = new(big.Int).Lsh(big.NewInt(1), primeBits)

// edgeValues are the values below bound that carry and reduction bugs
// show on: 0, 1, 2, p-1 (and below 2^512, p..2^512-1) and random ones.
func edgeValues(t testing.TB, p, bound *big.Int) []*big.Int {
	one := big.NewInt(1)
	xs := []*big.Int{big.NewInt(0), one, big.NewInt(2), new(big.Int).Sub(p, one),
		new(big.Int).Rsh(p, 1), new(big.Int).Sub(new(big.Int).Lsh(one, 64), one)}
	if bound.Cmp(p) > 0 {
		xs = append(xs, new(big.Int).Set(p), new(big.Int).Add(p, one), new(big.Int).Sub(bound, one))
	}
	for range 8 {
		xs = append(xs, randBelow(t, bound))
	}
	return xs
}

// TestMontMul: mul(a, b) is a b R^-1 mod p for a below 2^512 and b below p,
// checked against math/big.
func TestMontMul(t *testing.T) {
	for range 10 {
		p := testPrime(t)
		m := newModulus(p)
		rinv := new(big.Int).ModInverse(montR, p)
		for _, a := range edgeValues(t, p, montR) {
			for _, b := range edgeValues(t, p, p) {
				want := new(big.Int).Mul(a, b)
				want.Mul(want, rinv).Mod(want, p)
				al, bl := toLimbs(a), toLimbs(b)
				for _, got := range []limbs{m.mul(&al, &bl), m.mul(&bl, &al)} {
					if g := got.bigInt(); g.Cmp(want) != 0 {
						t.Fatalf("mul(%x, %x) mod %x = %x, want %x", a, b, p, g, want)
					}
				}
			}
		}
	}
}

// TestMontSquare: sqr(a) equals mul(a, a) for a below p.
func TestMontSquare(t *testing.T) {
	for range 10 {
		p := testPrime(t)
		m := newModulus(p)
		for _, a := range edgeValues(t, p, p) {
			al := toLimbs(a)
			if got, want := m.sqr(&al), m.mul(&al, &al); got != want {
				t.Fatalf("sqr(%x) mod %x = %x, want %x", a, p, got.bigInt(), want.bigInt())
			}
		}
	}
}

// TestReduce: reduce(x) is x R mod p for 2048-bit x, and fromMont undoes
// the R.
func TestReduce(t *testing.T) {
	top := new(big.Int).Lsh(big.NewInt(1), 2048)
	for range 10 {
		p := testPrime(t)
		m := newModulus(p)
		xs := append(edgeValues(t, p, top), new(big.Int).Sub(top, big.NewInt(1)), new(big.Int).Mul(p, p))
		for _, x := range xs {
			var buf [256]byte
			x.FillBytes(buf[:])
			r := m.reduce(&buf)
			got := m.fromMont(&r)
			if want := new(big.Int).Mod(x, p); got.bigInt().Cmp(want) != 0 {
				t.Fatalf("reduce(%x) mod %x = %x, want %x", x, p, got.bigInt(), want)
			}
		}
	}
}

// checkExp compares exp with math/big's Exp for base below 2^2048.
func checkExp(t testing.TB, p, base, e *big.Int) {
	t.Helper()
	m := newModulus(p)
	var buf [256]byte
	base.FillBytes(buf[:])
	b := m.reduce(&buf)
	el := toLimbs(e)
	r := m.exp(&b, &el)
	got := m.fromMont(&r)
	if want := new(big.Int).Exp(base, e, p); got.bigInt().Cmp(want) != 0 {
		t.Fatalf("%x^%x mod %x = %x, want %x", base, e, p, got.bigInt(), want)
	}
}

func TestExp(t *testing.T) {
	for range 4 {
		p := testPrime(t)
		for _, base := range edgeValues(t, p, montR) {
			for _, e := range edgeValues(t, p, montR) {
				checkExp(t, p, base, e)
			}
		}
	}
}

// FuzzExp compares exp with math/big for any base and exponent, modulo a
// fixed prime and modulo the odd 512-bit number the input names (the
// arithmetic does not need a prime modulus).
func FuzzExp(f *testing.F) {
	f.Add([]byte{2}, []byte{3}, []byte{0})
	f.Add([]byte{0}, []byte{0}, []byte{0xff})
	f.Add(make([]byte, 64), make([]byte, 64), make([]byte, 64))
	ff := make([]byte, 64)
	for i := range ff {
		ff[i] = 0xff
	}
	f.Add(ff, ff, ff)
	// A fixed prime, so that a failing input saved under testdata fails
	// again.
	p, _ := new(big.Int).SetString("feef10f63b545c7659de352034135c5063c46866597535a6b67d7d60d8756aa6"+
		"4ab7af3f006f3c24a23ffe6155348178332c8fbf3c0372dc278cee8e4b99cda9", 16)
	if !p.ProbablyPrime(20) || p.BitLen() != primeBits {
		f.Fatal("the fuzz prime is not a 512-bit prime")
	}
	f.Fuzz(func(t *testing.T, base, e, mod []byte) {
		if len(base) > 256 || len(e) > 64 || len(mod) > 64 {
			return
		}
		b, x := new(big.Int).SetBytes(base), new(big.Int).SetBytes(e)
		checkExp(t, p, b, x)
		// Any odd modulus with the top bit set: mod's bytes, top bit and
		// low bit forced.
		var mb [64]byte
		copy(mb[64-len(mod):], mod)
		mb[0] |= 0x80
		mb[63] |= 1
		checkExp(t, new(big.Int).SetBytes(mb[:]), b, x)
	})
}

// benchOperands returns a random modulus and two random values below it.
func benchOperands(b *testing.B) (m *modulus, x, y limbs) {
	p := testPrime(b)
	return newModulus(p), toLimbs(randBelow(b, p)), toLimbs(randBelow(b, p))
}

func BenchmarkMontMul(b *testing.B) {
	m, x, y := benchOperands(b)
	for b.Loop() {
		x = m.mul(&x, &y)
	}
}

func BenchmarkMontSquare(b *testing.B) {
	m, x, _ := benchOperands(b)
	for b.Loop() {
		x = m.sqr(&x)
	}
}

// BenchmarkCRTBig is BenchmarkCRT with math/big's exponentiation, the path
// for keys the fixed-size arithmetic does not fit.
func BenchmarkCRTBig(b *testing.B) {
	k := generate(b, 4)
	c := randBelow(b, k.pub.N)
	for b.Loop() {
		k.crtBig(c)
	}
}

// BenchmarkExp is one 512-bit exponentiation with a full-length exponent;
// BenchmarkExpBig is the same by math/big.
func BenchmarkExp(b *testing.B) {
	m, x, e := benchOperands(b)
	for b.Loop() {
		x = m.exp(&x, &e)
	}
}

func BenchmarkExpBig(b *testing.B) {
	p := testPrime(b)
	x, e := randBelow(b, p), randBelow(b, p)
	for b.Loop() {
		x.Exp(x, e, p)
	}
}

// TestGeneratedUpToDate: mont_mul.go is what gen_mont.go writes today.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with go run")
	}
	out := filepath.Join(t.TempDir(), "mont_mul.out") // not .go: go run would take it for a source file
	cmd := exec.Command("go", "run", "gen_mont.go", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run gen_mont.go: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("mont_mul.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("mont_mul.go differs from what gen_mont.go writes: run go generate ./emulator/internal/mprsa")
	}
}
