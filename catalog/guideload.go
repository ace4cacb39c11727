package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	causeIDRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	factRe    = regexp.MustCompile(`^[a-z0-9_-]+(\.[a-z0-9_-]+)+=([a-z]+)$`)
	formRe    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// loadGuide decodes and validates one guide file; nil when it has problems.
func loadGuide(fsys fs.FS, file string, c *Catalog, pr *problems) *Guide {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		pr.add(file, 0, "", "read: %v", err)
		return nil
	}
	g, err := decodeGuide(data)
	if err != nil {
		pr.add(file, yamlErrLine(err), "", "%v", err)
		return nil
	}
	before := len(pr.list)
	validateGuide(g, file, c, pr)
	if len(pr.list) > before {
		return nil
	}
	return g
}

// decodeGuide decodes one guide strictly: unknown keys and trailing
// documents are errors.
func decodeGuide(data []byte) (*Guide, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var g Guide
	if err := dec.Decode(&g); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file")
		}
		return nil, fmt.Errorf("decode: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode: more than one YAML document")
	}
	return &g, nil
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func yamlErrLine(err error) int {
	m := yamlLineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func validateGuide(g *Guide, file string, c *Catalog, pr *problems) {
	bad := func(key, format string, args ...any) { pr.add(file, 0, key, format, args...) }
	text := func(key, s string, min int) {
		if len(strings.TrimSpace(s)) < min {
			bad(key, "missing or shorter than %d characters", min)
		} else if ph := placeholder(s); ph != "" {
			bad(key, "placeholder text %q", ph)
		}
	}
	if _, ok := c.byCode[g.Code]; !ok {
		bad("code", "code %d is not in %s", g.Code, CodesFile)
	}
	if want := strconv.Itoa(g.Code) + ".yaml"; path.Base(file) != want {
		bad("code", "file name should be %s", want)
	}
	text("summary", g.Summary, 40)
	inSet(bad, "flows", g.Flows, flowSet)
	inSet(bad, "credentials", g.Credentials, credentialSet)
	if len(g.Causes) < 2 {
		bad("causes", "a deep guide needs at least 2 causes, has %d", len(g.Causes))
	}
	ids := map[string]bool{}
	for i := range g.Causes {
		cs := &g.Causes[i]
		k := fmt.Sprintf("causes[%d]", i)
		if !causeIDRe.MatchString(cs.ID) {
			bad(k+".id", "%q is not kebab-case", cs.ID)
		} else if ids[cs.ID] {
			bad(k+".id", "%q is used twice", cs.ID)
		}
		ids[cs.ID] = true
		text(k+".title", cs.Title, 10)
		text(k+".explanation", cs.Explanation, 40)
		if cs.Prior < 0 || cs.Prior > 10 {
			bad(k+".prior", "%d is outside 0..10", cs.Prior)
		}
		if len(cs.Signals) == 0 {
			bad(k+".signals", "at least one signal is required")
		}
		for j := range cs.Signals {
			validateSignal(&cs.Signals[j], fmt.Sprintf("%s.signals[%d]", k, j), bad)
		}
		validateSteps(cs.Fixes, k+".fixes", true, bad, text)
		validateSteps(cs.Verify, k+".verify", false, bad, text)
	}
	validateSteps(g.Verify, "verify", true, bad, text)
	for i, r := range g.Related {
		if _, ok := c.byCode[r]; !ok {
			bad(fmt.Sprintf("related[%d]", i), "code %d is not in %s", r, CodesFile)
		}
		if r == g.Code {
			bad(fmt.Sprintf("related[%d]", i), "a guide cannot relate to itself")
		}
	}
	for i, v := range g.Variants {
		k := fmt.Sprintf("variants[%d]", i)
		text(k+".period", v.Period, 4)
		text(k+".text", v.Text, 10)
	}
	for i, p := range g.Pitfalls {
		text(fmt.Sprintf("pitfalls[%d]", i), p, 20)
	}
}

func inSet(bad func(string, string, ...any), key string, vals, set []string) {
	if len(vals) == 0 {
		bad(key, "at least one value is required")
	}
	for i, v := range vals {
		if !slices.Contains(set, v) {
			bad(fmt.Sprintf("%s[%d]", key, i), "%q is not one of %v", v, set)
		}
	}
}

func validateSignal(s *Signal, k string, bad func(string, string, ...any)) {
	if !slices.Contains(signalKindSet, s.Kind) {
		bad(k+".kind", "%q is not one of %v", s.Kind, signalKindSet)
		return
	}
	if s.Weight == 0 || s.Weight < -10 || s.Weight > 10 {
		bad(k+".weight", "%d must be non-zero and within -10..10", s.Weight)
	}
	if strings.TrimSpace(s.Note) == "" {
		bad(k+".note", "missing")
	}
	switch s.Kind {
	case SignalMessage:
		re, err := regexp.Compile("(?i)" + s.Match)
		if err != nil || s.Match == "" {
			bad(k+".match", "regex does not compile: %v", err)
			return
		}
		if re.MatchString("") {
			bad(k+".match", "regex %q matches the empty string", s.Match)
		}
		s.re = re
	case SignalField:
		if !slices.Contains(fieldSet, s.Match) {
			bad(k+".match", "field %q is not one of %v", s.Match, fieldSet)
		}
	case SignalOAuthError:
		if !isOAuthErrorValue(s.Match) {
			bad(k+".match", "%q is not an OAuth error value", s.Match)
		}
	case SignalForm:
		if !formRe.MatchString(s.Match) {
			bad(k+".match", "form %q is not kebab-case", s.Match)
		}
	case SignalFact:
		m := factRe.FindStringSubmatch(s.Match)
		if m == nil {
			bad(k+".match", "fact %q is not of the form check.id=status", s.Match)
		} else if !slices.Contains(factStatusSet, m[2]) {
			bad(k+".match", "fact status %q is not one of %v", m[2], factStatusSet)
		}
	}
}

// validateSteps checks a list of steps; when required, it must be non-empty
// and at least one step must carry a command.
func validateSteps(steps []Step, k string, required bool, bad func(string, string, ...any), text func(string, string, int)) {
	if required && len(steps) == 0 {
		bad(k, "at least one step is required")
	}
	withCmd := false
	for i, st := range steps {
		sk := fmt.Sprintf("%s[%d]", k, i)
		text(sk+".text", st.Text, 10)
		for j, cmd := range st.Commands {
			ck := fmt.Sprintf("%s.commands[%d]", sk, j)
			if !slices.Contains(toolSet, cmd.Tool) {
				bad(ck+".tool", "%q is not one of %v", cmd.Tool, toolSet)
			}
			if strings.TrimSpace(cmd.Run) == "" {
				bad(ck+".run", "missing")
			}
			withCmd = true
		}
	}
	if required && len(steps) > 0 && !withCmd && strings.HasSuffix(k, "fixes") {
		bad(k, "at least one fix step needs a command")
	}
}
