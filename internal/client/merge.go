package client

import (
	"encoding/json"
	"reflect"
	"strings"
)

// A key present in a PUT of a schema or an instance replaces the stored value. A key
// left out keeps it if the PUT merges, as Harness's MCP server says ("only include what
// you want to change"), and clears it if the PUT replaces, as the official provider's
// update bodies need: nothing public decides (DESIGN.md). So the client leaves a key out
// only when the entity has no value there either, and sends "" or {} to clear one (what
// a present empty value does is not documented either; DESIGN.md). It then compares the
// answer with what it asked for, so that a server that reads a body otherwise is
// reported, never silent.

// Mismatch is a field whose value in the server's answer is not the one asked for.
// Field is the API's name ("context", "changelog.repo"); Want and Got are the values as
// text, "" for absent or empty.
type Mismatch struct {
	Field, Want, Got string
}

// compare lists the keys of want, a create body (SchemaInput, InstanceInput), whose
// value in got, the server's answer, differs. Both are read by their JSON keys, so a
// field's name is its API name and a field added to the body is compared with no more
// code. Absent and empty are the same: "", false, {} and no key at all.
func compare(want, got any) []Mismatch {
	raw, _ := json.Marshal(got) // an answer the client decoded always encodes
	var answer map[string]any
	_ = json.Unmarshal(raw, &answer)
	var out []Mismatch
	compareFields(&out, "", reflect.ValueOf(want), answer)
	return out
}

func compareFields(out *[]Mismatch, prefix string, want reflect.Value, got map[string]any) {
	for i := range want.NumField() {
		key, _, _ := strings.Cut(want.Type().Field(i).Tag.Get("json"), ",")
		w, g := want.Field(i), got[key]
		if w.Kind() == reflect.Pointer { // a block, such as changelog
			sub, _ := g.(map[string]any)
			if w.IsNil() != (sub == nil) {
				*out = append(*out, Mismatch{Field: prefix + key, Want: presence(!w.IsNil()), Got: presence(sub != nil)})
			}
			if !w.IsNil() {
				compareFields(out, prefix+key+".", w.Elem(), sub)
			}
			continue
		}
		if ws, gs := text(w.Interface()), text(g); ws != gs {
			*out = append(*out, Mismatch{Field: prefix + key, Want: ws, Got: gs})
		}
	}
}

// text is a value as Mismatch shows it: "" for absent or empty.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if !v {
			return ""
		}
		return "true"
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Map && rv.Len() == 0 {
		return ""
	}
	b, _ := json.Marshal(v) // maps of strings; encoding/json sorts their keys
	return string(b)
}

func presence(b bool) string {
	if b {
		return "present"
	}
	return ""
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
