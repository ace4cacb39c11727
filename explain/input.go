package explain

import (
	"strings"

	"github.com/aadsts/aadsts/errtext"
)

// ParseInput reads what a user typed or pasted. Bare codes ("700027",
// "50012 70002") are read as AADSTS codes; anything else goes to
// errtext.Parse as it is.
func ParseInput(text string) errtext.Result {
	tokens := strings.Fields(text)
	if len(tokens) == 0 || len(tokens) > 32 {
		return errtext.Parse(text)
	}
	var b strings.Builder
	for _, t := range tokens {
		d := strings.TrimPrefix(strings.ToUpper(t), "AADSTS")
		if len(d) < 4 || len(d) > 8 || strings.Trim(d, "0123456789") != "" {
			return errtext.Parse(text)
		}
		b.WriteString("AADSTS" + d + "\n")
	}
	return errtext.Parse(b.String())
}
