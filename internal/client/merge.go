package client

import (
	"encoding/json"
	"maps"
)

// The PUT bodies of schemas and instances are merges (Harness's MCP server:
// "only include what you want to change"): a key left out keeps the stored value, a key present replaces it. What a
// present empty value does is not documented; the client sends "" or {} to clear a key
// (the choice in DESIGN.md) and then compares the answer with what it asked for, so
// that a server that reads the empty value differently is reported, never silent.

// Mismatch is a field whose value in the server's answer is not the one asked for.
// Field is the API's name ("context", "changelog.repo"); Want and Got are the values as
// text, "" for absent or empty.
type Mismatch struct {
	Field, Want, Got string
}

type mismatches []Mismatch

func (m *mismatches) str(field, want, got string) {
	if want != got {
		*m = append(*m, Mismatch{Field: field, Want: want, Got: got})
	}
}

// tags compares two string maps; nil and empty are the same.
func (m *mismatches) tags(field string, want, got map[string]string) {
	if !maps.Equal(want, got) {
		*m = append(*m, Mismatch{Field: field, Want: mapText(want), Got: mapText(got)})
	}
}

// present reports a block that is there on one side only; its keys are compared apart.
func (m *mismatches) present(field string, want, got bool) {
	if want != got {
		*m = append(*m, Mismatch{Field: field, Want: presence(want), Got: presence(got)})
	}
}

func presence(b bool) string {
	if b {
		return "present"
	}
	return ""
}

func mapText(v map[string]string) string {
	if len(v) == 0 {
		return ""
	}
	b, _ := json.Marshal(v) // a map of strings always encodes; keys come out sorted
	return string(b)
}

// stringChange is the PUT value of an optional string key: desired when set, "" when
// the server holds a value that desired drops, else nil (left out).
func stringChange(prior, desired string) *string {
	if desired == "" && prior == "" {
		return nil
	}
	return &desired
}

// mapChange is stringChange for a map key: {} clears it.
func mapChange(prior, desired map[string]string) *map[string]string {
	if len(desired) == 0 && len(prior) == 0 {
		return nil
	}
	if desired == nil {
		desired = map[string]string{}
	}
	return &desired
}

func derefOr[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
