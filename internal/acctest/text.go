package acctest

import (
	"regexp"
	"strings"
	"testing"
)

// Flat is Terraform's output on one line, without the box drawing of diagnostics, so
// that a test finds a phrase however Terraform wrapped it.
func Flat(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
}

// ErrorText matches a phrase in Terraform's error output, which wraps long lines: each
// space of the phrase matches any run of white space.
func ErrorText(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// InOrder matches the phrases in this order in Terraform's output, line wraps allowed.
func InOrder(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = ErrorText(p).String()
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// WrappedText matches text as Terraform prints it in a diagnostic: any run of spaces
// may have become a line break.
func WrappedText(text string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(text)), `\s+`)
}

// Warnings are the warnings of a plan's text, flattened (Flat), one per element.
func Warnings(out string) []string {
	var ws []string
	for _, part := range strings.Split(out, "Warning: ")[1:] {
		ws = append(ws, Flat(part))
	}
	return ws
}

// MustContain fails the test for each phrase out lacks; out is flattened first.
func MustContain(t *testing.T, what, out string, phrases ...string) {
	t.Helper()
	for _, p := range phrases {
		if !strings.Contains(Flat(out), p) {
			t.Errorf("%s lacks %q:\n%s", what, p, out)
		}
	}
}
