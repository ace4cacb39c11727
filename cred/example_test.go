package cred_test

import (
	"fmt"

	"github.com/aadsts/aadsts/cred"
)

// ParseThumbprintForm reads any thumbprint form and names the hex text
// that was put into x5t.
func ExampleParseThumbprintForm() {
	for _, s := range []string{
		"A6:02:F1:EE:56:11:4D:A7:4F:90:A7:F0:57:98:70:FE:4B:99:B8:C7",
		"pgLx7lYRTadPkKfwV5hw_kuZuMc",
		"QTYwMkYxRUU1NjExNERBNzRGOTBBN0YwNTc5ODcwRkU0Qjk5QjhDNw",
	} {
		p, err := cred.ParseThumbprintForm(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s %s %X", p.Kind, p.Form, p.Sum)
		for _, pr := range p.Problems {
			fmt.Print(" ", pr.ID)
		}
		fmt.Println()
	}
	// Output:
	// sha1 hex A602F1EE56114DA74F90A7F0579870FE4B99B8C7 hex-separators
	// sha1 base64url A602F1EE56114DA74F90A7F0579870FE4B99B8C7
	// sha1 hex-text-in-base64 A602F1EE56114DA74F90A7F0579870FE4B99B8C7 hex-thumbprint-in-x5t
}

// ShapeOfSecret names a secret's mistakes without showing the secret.
func ExampleShapeOfSecret() {
	sh := cred.ShapeOfSecret("73c912d2-fd2d-42a0-b3ae-2e45d006b8bc\n")
	for _, p := range sh.Problems {
		fmt.Println(p.ID)
	}
	// Output:
	// newline
	// secret-id
}
