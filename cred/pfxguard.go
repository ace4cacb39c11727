package cred

import (
	"encoding/asn1"
	"errors"
	"fmt"
)

// MaxPFXIterations bounds the key-derivation iteration counts Load accepts
// in a PFX. Windows and OpenSSL write 2,000 to 600,000; a file asking for
// billions would hang the tool, so it is refused as corrupt.
const MaxPFXIterations = 2_000_000

var errTooManyIterations = errors.New("iteration count beyond any real PFX")

// checkPFXIterations walks the DER of a PFX, looking into OCTET STRINGs
// that hold DER, and refuses any salt-then-count pair (MacData, PBES1 and
// PBKDF2 parameters all have that shape) whose count exceeds
// MaxPFXIterations, before the PKCS#12 decoder spends time on it.
func checkPFXIterations(der []byte) error {
	return walkDER(der, 0)
}

func walkDER(der []byte, depth int) error {
	if depth > 24 {
		return nil
	}
	prevOctet := false
	for len(der) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(der, &v)
		if err != nil {
			return nil
		}
		der = rest
		switch {
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagInteger && prevOctet:
			var n int64
			if _, err := asn1.Unmarshal(v.FullBytes, &n); err != nil || n > MaxPFXIterations {
				return fmt.Errorf("%w (%d > %d)", errTooManyIterations, n, MaxPFXIterations)
			}
		case v.IsCompound:
			if err := walkDER(v.Bytes, depth+1); err != nil {
				return err
			}
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString && len(v.Bytes) > 0 && v.Bytes[0] == 0x30:
			if err := walkDER(v.Bytes, depth+1); err != nil {
				return err
			}
		}
		prevOctet = v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString && !v.IsCompound
	}
	return nil
}
