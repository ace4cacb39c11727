package cli

// Exit codes of the aadsts command. They are decided here and nowhere else,
// and documented in the README.
const (
	// ExitOK means the command did its work: an error was explained, a
	// diagnosis found nothing wrong, a server stopped cleanly.
	ExitOK = 0
	// ExitFound means the command ran and found what it reports as a
	// failure: no AADSTS code in the text, a failing check, a firing alert,
	// an audit finding at or above --fail-on.
	ExitFound = 1
	// ExitUsage means the command line or the input was wrong: an unknown
	// flag, an unreadable file, a malformed value.
	ExitUsage = 2
)

// exitError carries an exit code out of a command's RunE. Commands return it
// when they have already written their output and only need a non-zero code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// withCode wraps err so that Main exits with code. A nil err with a code
// means "exit quietly with this code".
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// usageError marks err as a usage or input problem (exit 2).
func usageError(err error) error { return withCode(ExitUsage, err) }
