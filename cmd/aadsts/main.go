// Command aadsts explains, diagnoses and emulates Microsoft Entra ID sign-in
// and token errors (the AADSTS codes).
package main

import (
	"os"

	"github.com/aadsts/aadsts/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
