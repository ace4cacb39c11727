package jose

import "testing"

func BenchmarkDecode(b *testing.B) {
	tok := string(readShared(b, overClaims))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyRS256(b *testing.B) {
	keys, err := ParseJWKS(readShared(b, keys2014))
	if err != nil {
		b.Fatal(err)
	}
	tok, _ := Decode(string(readShared(b, overClaims)))
	k, _ := KeyFor(keys, tok)
	for b.Loop() {
		if err := Verify(tok, k.Public, []string{"RS256"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseJWKS(b *testing.B) {
	data := readShared(b, "oidc/login.microsoftonline.com_common_discovery_v2.0_keys.json")
	for b.Loop() {
		if _, err := ParseJWKS(data); err != nil {
			b.Fatal(err)
		}
	}
}
