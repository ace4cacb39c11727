// Package synth generates synthetic sign-in logs from real sample records,
// for benchmarks and load tests: each output record is a sample with a new
// id, time, app, credential and outcome. It owns no real data and must not
// be used to fake evidence: every record it writes says "synthetic" in its
// resultSignature.
package synth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// template is a sample record cut at its placeholders.
type template struct {
	parts [][]byte
	slots []string
}

var placeholders = []string{"@@ID@@", "@@TIME@@", "@@APP@@", "@@KEY@@", "@@CORR@@", "\"@@CODE@@\"", "@@RESULT@@", "@@REASON@@"}

// failures are the codes synthetic failures carry, with their reasons.
var failures = []struct {
	code   int
	reason string
}{
	{7000222, "The provided client secret keys are expired."},
	{7000215, "Invalid client secret is provided."},
	{700027, "Client assertion failed signature validation."},
	{700016, "Application not found in the directory."},
}

// compile turns one diagnostic-settings sign-in record into a template.
func compile(line []byte) (*template, error) {
	var rec map[string]any
	if err := json.Unmarshal(line, &rec); err != nil {
		return nil, fmt.Errorf("sample record: %w", err)
	}
	props, ok := rec["properties"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("sample record has no properties object")
	}
	rec["time"], props["createdDateTime"] = "@@TIME@@", "@@TIME@@"
	props["id"], props["appId"] = "@@ID@@", "@@APP@@"
	props["servicePrincipalCredentialKeyId"] = "@@KEY@@"
	rec["correlationId"], props["correlationId"] = "@@CORR@@", "@@CORR@@"
	props["status"] = map[string]any{"errorCode": "@@CODE@@", "failureReason": "@@REASON@@"}
	rec["resultType"], rec["resultDescription"] = "@@RESULT@@", "@@REASON@@"
	rec["resultSignature"] = "synthetic"
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	t := &template{}
	for len(b) > 0 {
		at, which := -1, ""
		for _, p := range placeholders {
			if i := bytes.Index(b, []byte(p)); i >= 0 && (at < 0 || i < at) {
				at, which = i, p
			}
		}
		if at < 0 {
			t.parts = append(t.parts, b)
			break
		}
		t.parts = append(t.parts, b[:at])
		t.slots = append(t.slots, which)
		b = b[at+len(which):]
	}
	return t, nil
}

// Options shape the generated records.
type Options struct {
	N     int       // records
	Apps  int       // distinct app ids; default 50
	Start time.Time // first record's time; records are 10 ms apart
	// FailEvery makes one record in FailEvery a failure; default 10.
	FailEvery int
}

// Generate writes o.N NDJSON records built from the sample records in
// samples (diagnostic-settings sign-in records, one per line).
func Generate(w io.Writer, samples io.Reader, o Options) error {
	if o.Apps <= 0 {
		o.Apps = 50
	}
	if o.FailEvery <= 0 {
		o.FailEvery = 10
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	}
	var tpls []*template
	sc := bufio.NewScanner(samples)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		t, err := compile(sc.Bytes())
		if err != nil {
			return err
		}
		tpls = append(tpls, t)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(tpls) == 0 {
		return fmt.Errorf("no sample records")
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var num []byte
	for i := range o.N {
		t := tpls[i%len(tpls)]
		code, reason := 0, ""
		if i%o.FailEvery == o.FailEvery-1 {
			f := failures[(i/o.FailEvery)%len(failures)]
			code, reason = f.code, f.reason
		}
		for j, p := range t.parts {
			bw.Write(p)
			if j >= len(t.slots) {
				break
			}
			switch t.slots[j] {
			case "@@ID@@":
				fmt.Fprintf(bw, "5e1f0000-0000-4000-8000-%012d", i)
			case "@@TIME@@":
				num = o.Start.Add(time.Duration(i)*10*time.Millisecond).AppendFormat(num[:0], "2006-01-02T15:04:05.0000000Z")
				bw.Write(num)
			case "@@APP@@":
				fmt.Fprintf(bw, "a990%04d-0000-4000-8000-000000000001", i%o.Apps)
			case "@@KEY@@":
				fmt.Fprintf(bw, "0e700000-0000-4000-8000-%012d", (i%o.Apps)*2+(i/100000)%2)
			case "@@CORR@@":
				fmt.Fprintf(bw, "c0220000-0000-4000-8000-%012d", i)
			case "\"@@CODE@@\"":
				bw.Write(strconv.AppendInt(num[:0], int64(code), 10))
			case "@@RESULT@@":
				bw.Write(strconv.AppendInt(num[:0], int64(code), 10))
			case "@@REASON@@":
				bw.WriteString(reason)
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
