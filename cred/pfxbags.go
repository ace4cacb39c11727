package cred

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
)

// Object identifiers of PKCS#7 content and PKCS#12 bags.
var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidKeyBag        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedBag   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509Cert      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type encryptedData struct {
	Version              int
	EncryptedContentInfo struct {
		ContentType                asn1.ObjectIdentifier
		ContentEncryptionAlgorithm algorithmIdentifier
		EncryptedContent           []byte `asn1:"tag:0,optional"`
	}
}

type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue `asn1:"tag:0,explicit"`
	Attributes asn1.RawValue `asn1:"optional"`
}

type certBag struct {
	ID   asn1.ObjectIdentifier
	Data []byte `asn1:"tag:0,explicit"`
}

var errLegacyPFXCipher = errors.New("its contents are encrypted with a legacy PKCS#12 cipher this tool does not read")

// pfxContents reads the certificate and key bags of a PFX that go-pkcs12
// refuses because it does not hold exactly one key and one certificate
// (openssl pkcs12 -export -nokeys or -nocerts, several keys). Call it only
// after the MAC was verified with password. Plain and PBES2-encrypted safes
// and keys are read; legacy PKCS#12 ciphers give errLegacyPFXCipher.
func pfxContents(der []byte, password string) ([]*x509.Certificate, []crypto.Signer, error) {
	var pfx struct {
		Version  int
		AuthSafe contentInfo
		MacData  asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(der, &pfx); err != nil || !pfx.AuthSafe.ContentType.Equal(oidData) {
		return nil, nil, errors.New("not a password-integrity PFX")
	}
	var authSafe []byte
	if _, err := asn1.Unmarshal(pfx.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil, nil, err
	}
	var safes []contentInfo
	if _, err := asn1.Unmarshal(authSafe, &safes); err != nil {
		return nil, nil, err
	}
	var certs []*x509.Certificate
	var keys []crypto.Signer
	for _, ci := range safes {
		var contents []byte
		switch {
		case ci.ContentType.Equal(oidData):
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &contents); err != nil {
				return nil, nil, err
			}
		case ci.ContentType.Equal(oidEncryptedData):
			var ed encryptedData
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
				return nil, nil, err
			}
			eci := ed.EncryptedContentInfo
			if !eci.ContentEncryptionAlgorithm.Algorithm.Equal(oidPBES2) {
				return nil, nil, errLegacyPFXCipher
			}
			plain, err := decryptPBES2(eci.ContentEncryptionAlgorithm, eci.EncryptedContent, password)
			if err != nil {
				return nil, nil, err
			}
			contents = plain
		default:
			continue
		}
		var bags []safeBag
		if _, err := asn1.Unmarshal(contents, &bags); err != nil {
			return nil, nil, fmt.Errorf("safe contents: %w", err)
		}
		for _, bag := range bags {
			if key, err := bagKey(bag, password); err != nil {
				return nil, nil, err
			} else if key != nil {
				keys = append(keys, key)
				continue
			}
			if !bag.ID.Equal(oidCertBag) {
				continue
			}
			var cb certBag
			if _, err := asn1.Unmarshal(bag.Value.Bytes, &cb); err != nil || !cb.ID.Equal(oidX509Cert) {
				continue
			}
			if c, err := x509.ParseCertificate(cb.Data); err == nil {
				certs = append(certs, c)
			}
		}
	}
	return certs, keys, nil
}

// bagKey returns the private key of a key bag or shrouded key bag, nil for
// other bags.
func bagKey(bag safeBag, password string) (crypto.Signer, error) {
	der := bag.Value.Bytes
	switch {
	case bag.ID.Equal(oidKeyBag):
	case bag.ID.Equal(oidShroudedBag):
		var info encryptedPrivateKeyInfo
		if _, err := asn1.Unmarshal(der, &info); err != nil {
			return nil, err
		}
		if !info.Algorithm.Algorithm.Equal(oidPBES2) {
			return nil, errLegacyPFXCipher
		}
		plain, err := decryptPBES2(info.Algorithm, info.EncryptedData, password)
		if err != nil {
			return nil, err
		}
		der = plain
	default:
		return nil, nil
	}
	return parseKeyDER(der)
}
