package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// maxBody bounds request bodies; nothing the API accepts comes close.
const maxBody = 1 << 20

// maxStateBody bounds a whole state sent to PUT /_mock/state, which a -seed file (read
// with no bound) may equal: thousands of instances (make bench puts 5000).
const maxStateBody = 64 << 20

// errEmptyBody is returned by readBody for an empty or all-whitespace body.
var errEmptyBody = errors.New("request body is empty: send a JSON document")

// readBody reads the whole request body, refusing oversized ones.
func readBody(r *http.Request) ([]byte, error) { return readBodyUpTo(r, maxBody) }

// readBodyUpTo is readBody with another bound.
func readBodyUpTo(r *http.Request, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read request body: %w", err)
	}
	if len(b) > limit {
		return nil, fmt.Errorf("request body is larger than %d bytes", limit)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errEmptyBody
	}
	return b, nil
}

// decodeBody reads and strictly decodes the request body into v (a json.Unmarshaler
// decodes itself), answering 400 with the reason when it cannot. Every handler with a
// body decodes it here.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	return decodeRequest(w, r, v, false)
}

// decodeOptionalBody is decodeBody for a body that may be empty; v is then left as it is.
func decodeOptionalBody(w http.ResponseWriter, r *http.Request, v any) bool {
	return decodeRequest(w, r, v, true)
}

func decodeRequest(w http.ResponseWriter, r *http.Request, v any, optional bool) bool {
	b, err := readBody(r)
	if optional && errors.Is(err, errEmptyBody) {
		return true
	}
	if err == nil {
		if u, ok := v.(json.Unmarshaler); ok {
			err = u.UnmarshalJSON(b)
		} else {
			err = decodeStrict(b, v)
		}
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return false
	}
	return true
}

// decodeStrict decodes exactly one JSON document into v. It rejects unknown keys, keys
// that differ from the wire name only in case (encoding/json would silently accept
// "changelogScript" for "changeLogScript", which would hide a client typo), and
// anything after the document.
func decodeStrict(b []byte, v any) error {
	var generic any
	if err := decodeOne(b, &generic, false); err != nil {
		return err
	}
	if err := checkKeys(generic, reflect.TypeOf(v), ""); err != nil {
		return err
	}
	return decodeOne(b, v, true)
}

func decodeOne(b []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("malformed JSON body: unexpected data after the JSON document")
	}
	return nil
}

// describeJSONError turns encoding/json errors into messages a user can act on.
func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON body: %w (at byte %d)", syn, syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("malformed JSON body: unexpected end of input")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Errorf("request body must be a JSON %s, got a JSON %s", jsonKind(typ.Type), typ.Value)
		}
		return fmt.Errorf("field %q must be a JSON %s, got a JSON %s", wirePath(typ.Field), jsonKind(typ.Type), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("unknown JSON field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return fmt.Errorf("malformed JSON body: %w", err)
}

// wirePath drops from encoding/json's field path the Go names of embedded structs,
// which are not keys on the wire: by this package's convention their names end in
// "Fields" (schemaFields, instanceFields).
func wirePath(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, part := range parts {
		if !strings.HasSuffix(part, "Fields") {
			out = append(out, part)
		}
	}
	return strings.Join(out, ".")
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Interface:
		return "value"
	default:
		return "number"
	}
}

// checkKeys walks a generically decoded document alongside the Go type it will be
// decoded into and reports the first object key that is not an exact wire name.
func checkKeys(doc any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch d := doc.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Map:
			for k, v := range d {
				if err := checkKeys(v, t.Elem(), path+"."+k); err != nil {
					return err
				}
			}
		case reflect.Struct:
			fields := jsonFields(t)
			for k, v := range d {
				ft, ok := fields[k]
				if !ok {
					where := strings.TrimPrefix(path+"."+k, ".")
					for name := range fields {
						if strings.EqualFold(name, k) {
							return fmt.Errorf("unknown JSON field %q (did you mean %q? field names are case-sensitive)", where, name)
						}
					}
					return fmt.Errorf("unknown JSON field %q; valid fields here: %s", where, strings.Join(sortedKeys(fields), ", "))
				}
				if err := checkKeys(v, ft, path+"."+k); err != nil {
					return err
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, v := range d {
				if err := checkKeys(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// jsonFields maps each exported field's JSON name to its type. The fields of an
// embedded struct without a JSON name are its parent's, as encoding/json has them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			maps.Copy(out, jsonFields(f.Type))
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
