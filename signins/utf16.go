package signins

import (
	"bufio"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Reader turns UTF-16 (after its byte order mark) into UTF-8.
type utf16Reader struct {
	r    *bufio.Reader
	big  bool
	out  []byte
	err  error
	skip bool
}

func newUTF16Reader(r *bufio.Reader, big bool) io.Reader {
	return &utf16Reader{r: r, big: big, skip: true}
}

func (u *utf16Reader) unit() (uint16, error) {
	var b [2]byte
	if _, err := io.ReadFull(u.r, b[:]); err != nil {
		return 0, err
	}
	if u.big {
		return uint16(b[0])<<8 | uint16(b[1]), nil
	}
	return uint16(b[1])<<8 | uint16(b[0]), nil
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	if u.skip {
		u.skip = false
		_, _ = u.unit() // the byte order mark
	}
	for len(u.out) < len(p) && u.err == nil {
		c, err := u.unit()
		if err != nil {
			u.err = err
			break
		}
		r := rune(c)
		if utf16.IsSurrogate(r) {
			c2, err := u.unit()
			if err != nil {
				u.err = err
				break
			}
			r = utf16.DecodeRune(r, rune(c2))
		}
		u.out = utf8.AppendRune(u.out, r)
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	if n == 0 && u.err != nil {
		if u.err == io.ErrUnexpectedEOF {
			return 0, io.EOF
		}
		return 0, u.err
	}
	return n, nil
}
