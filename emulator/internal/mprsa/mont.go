package mprsa

import (
	"math/big"
	"math/bits"
)

// This file is the fixed-size arithmetic for the per-prime
// exponentiations: 512-bit numbers as eight 64-bit limbs, least
// significant first, multiplied in Montgomery form (R = 2^512); mul and
// sqr are generated into mont_mul.go by gen_mont.go. Apart from the
// conversions from and to math/big at its edges (toLimbs, bigInt), nothing
// here branches on or indexes memory by a secret value: carries go through
// math/bits, the final subtraction of each product is selected by a mask,
// and the exponentiation reads every table entry for every window of all
// 512 exponent bits.

//go:generate go run gen_mont.go

// limbs is a 512-bit number, least significant limb first.
type limbs [8]uint64

// primeBits is the size of the primes the fixed-size path handles.
const primeBits = 512

// modulus is an odd 512-bit prime p with its top bit set, and the values
// Montgomery arithmetic modulo p needs.
type modulus struct {
	p    limbs
	pinv uint64   // -p^-1 mod 2^64
	one  limbs    // R mod p: 1 in Montgomery form
	rk   [4]limbs // R^(k+2) mod p for k = 0..3, to reduce 2048-bit inputs
}

// newModulus precomputes the Montgomery values for p, which must be odd and
// exactly primeBits long (the caller checks).
func newModulus(p *big.Int) *modulus {
	m := &modulus{p: toLimbs(p)}
	// Newton's iteration for p^-1 mod 2^64: p is its own inverse modulo 8,
	// and each step doubles the number of correct low bits (3, 6, ... 96).
	inv := m.p[0]
	for range 5 {
		inv *= 2 - m.p[0]*inv
	}
	m.pinv = -inv
	r := new(big.Int).Lsh(big.NewInt(1), primeBits)
	rk := new(big.Int).Mod(r, p)
	m.one = toLimbs(rk)
	for k := range m.rk {
		rk.Mul(rk, r).Mod(rk, p)
		m.rk[k] = toLimbs(rk)
	}
	return m
}

// toLimbs returns x, which must be below 2^512, as limbs.
func toLimbs(x *big.Int) limbs {
	var buf [64]byte
	x.FillBytes(buf[:])
	return limbsFromBytes(buf[:])
}

// limbsFromBytes reads 64 big-endian bytes.
func limbsFromBytes(b []byte) limbs {
	var a limbs
	for i := range a {
		o := 56 - 8*i
		a[i] = uint64(b[o])<<56 | uint64(b[o+1])<<48 | uint64(b[o+2])<<40 | uint64(b[o+3])<<32 |
			uint64(b[o+4])<<24 | uint64(b[o+5])<<16 | uint64(b[o+6])<<8 | uint64(b[o+7])
	}
	return a
}

// bigInt returns a as a big.Int.
func (a *limbs) bigInt() *big.Int {
	var buf [64]byte
	for i, w := range a {
		o := 56 - 8*i
		for j := range 8 {
			buf[o+j] = byte(w >> (56 - 8*j))
		}
	}
	return new(big.Int).SetBytes(buf[:])
}

// reduceOnce sets a (with top as a ninth limb) to a - p when that is not
// negative. a must be below 2p.
func (m *modulus) reduceOnce(a *limbs, top uint64) {
	var d limbs
	var b uint64
	for i := range d {
		d[i], b = bits.Sub64(a[i], m.p[i], b)
	}
	_, b = bits.Sub64(top, 0, b)
	keep := -b // all ones when a < p
	for i := range a {
		a[i] = a[i]&keep | d[i]&^keep
	}
}

// add returns a + b mod p for a, b below p.
func (m *modulus) add(a, b *limbs) limbs {
	var s limbs
	var c uint64
	for i := range s {
		s[i], c = bits.Add64(a[i], b[i], c)
	}
	m.reduceOnce(&s, c)
	return s
}

// reduce returns x R mod p (x mod p in Montgomery form) for the 2048-bit
// big-endian x: x = sum of x_k 2^(512k), and mul(x_k, R^(k+2)) = x_k R^(k+1).
func (m *modulus) reduce(x *[256]byte) limbs {
	var acc limbs
	for k := range 4 {
		xk := limbsFromBytes(x[256-64*(k+1) : 256-64*k])
		t := m.mul(&xk, &m.rk[k])
		acc = m.add(&acc, &t)
	}
	return acc
}

// fromMont returns a R^-1 mod p: a out of Montgomery form.
func (m *modulus) fromMont(a *limbs) limbs {
	one := limbs{1}
	return m.mul(a, &one)
}

// expWindow is the width in bits of the fixed window.
const expWindow = 4

// exp returns base^e in Montgomery form for base in Montgomery form. It
// walks all 512 bits of e, a window at a time, squaring expWindow times
// and multiplying by a table entry each time, even for zero bits, so its
// time does not depend on e or base.
func (m *modulus) exp(base *limbs, e *limbs) limbs {
	var table [1 << expWindow]limbs
	table[0] = m.one
	table[1] = *base
	for i := 2; i < len(table); i++ {
		table[i] = m.mul(&table[i-1], base)
	}
	acc := m.one
	for w := primeBits/expWindow - 1; w >= 0; w-- {
		for range expWindow {
			acc = m.sqr(&acc)
		}
		bit := w * expWindow
		idx := e[bit/64] >> (bit % 64) & (1<<expWindow - 1)
		f := selectEntry(&table, idx)
		acc = m.mul(&acc, &f)
	}
	return acc
}

// selectEntry returns table[idx], reading every entry.
func selectEntry(table *[1 << expWindow]limbs, idx uint64) limbs {
	var r0, r1, r2, r3, r4, r5, r6, r7 uint64
	for i := range table {
		// mask is all ones when i == idx: (i ^ idx) - 1 borrows only from 0.
		_, eq := bits.Sub64(uint64(i)^idx, 1, 0)
		mask := -eq
		e := &table[i]
		r0 |= e[0] & mask
		r1 |= e[1] & mask
		r2 |= e[2] & mask
		r3 |= e[3] & mask
		r4 |= e[4] & mask
		r5 |= e[5] & mask
		r6 |= e[6] & mask
		r7 |= e[7] & mask
	}
	return limbs{r0, r1, r2, r3, r4, r5, r6, r7}
}
