package audit

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/aadsts/aadsts/cred"
	"github.com/aadsts/aadsts/directory"
)

// certificate checks a certificate credential whose DER is present (Graph
// returns key only when an object is read singly with
// $select=keyCredentials, so list exports usually cannot be checked).
func (r *run) certificate(o owner, k directory.KeyCredential) {
	if len(k.Key) == 0 {
		return
	}
	f := Finding{KeyID: k.KeyID, CredentialType: CredCertificate, CredentialName: k.DisplayName}
	c := credential{keyID: k.KeyID, name: k.DisplayName, kind: CredCertificate, usage: k.Usage}
	der := k.Key
	if b, _ := pem.Decode(der); b != nil {
		der = b.Bytes // a PEM certificate uploaded as the key's text
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		r.add(o, RuleCertUnreadable, Warning,
			fmt.Sprintf("The key of %s of %s is not a DER X.509 certificate (%v).", c.label(), o.label(), err),
			fixRotate(o, c), f)
		return
	}
	tp := cred.ThumbprintsOfDER(der)
	if k.CustomKeyIdentifier != "" {
		kind, sum, perr := cred.ParseThumbprint(k.CustomKeyIdentifier)
		switch {
		case errors.Is(perr, cred.ErrNotThumbprint) || perr != nil:
			r.add(o, RuleThumbprint, Info,
				fmt.Sprintf("customKeyIdentifier of %s of %s is not a thumbprint; the certificate's SHA-1 is %s. Scripts that look certificates up by thumbprint will not find it.", c.label(), o.label(), tp.SHA1Hex),
				fixRotate(o, c), f)
		case kind == cred.KindSHA1 && !strings.EqualFold(fmt.Sprintf("%X", sum), tp.SHA1Hex),
			kind == cred.KindSHA256 && !strings.EqualFold(fmt.Sprintf("%X", sum), tp.SHA256Hex):
			r.add(o, RuleThumbprint, Warning,
				fmt.Sprintf("customKeyIdentifier of %s of %s is %X, but the certificate's SHA-1 is %s: the credential was labelled with another certificate's thumbprint, so people and scripts rotating by thumbprint act on the wrong key.", c.label(), o.label(), sum, tp.SHA1Hex),
				fixRotate(o, c)+" Upload the certificate without a custom key identifier so Graph sets it to the real thumbprint.", f)
		}
	}
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := pub.N.BitLen(); bits < 2048 {
			r.add(o, RuleWeakKey, Critical,
				fmt.Sprintf("The %s of %s has a %d-bit RSA key; use 2048 bits or more.", c.label(), o.label(), bits),
				"Create a new key pair of 2048+ bits (openssl req -x509 -newkey rsa:3072 -sha256 ...) and rotate: "+fixRotate(o, c), f)
		}
	case *ecdsa.PublicKey:
		if bits := pub.Curve.Params().BitSize; bits < 256 {
			r.add(o, RuleWeakKey, Critical,
				fmt.Sprintf("The %s of %s has a %d-bit EC key; use P-256 or larger.", c.label(), o.label(), bits),
				fixRotate(o, c), f)
		}
	}
	switch cert.SignatureAlgorithm {
	case x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1, x509.MD5WithRSA, x509.MD2WithRSA:
		r.add(o, RuleSHA1Cert, Warning,
			fmt.Sprintf("The %s of %s (%s) is signed with %s.", c.label(), o.label(), tp.SHA1Hex, cert.SignatureAlgorithm),
			"Re-issue the certificate signed with SHA-256 (openssl req -x509 -sha256 ...) and rotate: "+fixRotate(o, c), f)
	}
}
