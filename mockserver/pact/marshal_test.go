package pact

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// comparable strips what a round trip may change: the version, and the
// keys and raw text Marshal makes for interactions that had none.
func comparable(f *File) []Interaction {
	out := make([]Interaction, len(f.Interactions))
	for i, it := range f.Interactions {
		it.Key, it.Raw = "", nil
		if it.Skip != "" {
			it.Skip = "skipped"
		}
		out[i] = it
	}
	return out
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, name := range []string{"v2.json", "v3.json", "v4.json"} {
		t.Run(name, func(t *testing.T) {
			orig := mustRead(t, name)
			data, err := orig.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			again, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse(Marshal()): %v\n%s", err, data)
			}
			if again.Version != V4 || again.Consumer != orig.Consumer || again.Provider != orig.Provider {
				t.Errorf("file = %s %s %s", again.Version, again.Consumer, again.Provider)
			}
			if got, want := comparable(again), comparable(orig); !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the interactions:\n got %+v\nwant %+v", got, want)
			}
			if !reflect.DeepEqual(again.Metadata, orig.Metadata) {
				t.Errorf("metadata %v, want %v", again.Metadata, orig.Metadata)
			}
			twice, err := again.Marshal()
			if err != nil || string(twice) != string(data) {
				t.Errorf("a second round trip differs (err %v)", err)
			}
		})
	}
}

func TestMarshalWritesV4(t *testing.T) {
	data, err := mustRead(t, "v2.json").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metadata struct {
			PactSpecification struct{ Version string } `json:"pactSpecification"`
		}
		Interactions []struct {
			Type     string
			Key      string
			Pending  *bool
			Request  map[string]json.RawMessage
			Response struct {
				Body          map[string]any
				MatchingRules map[string]map[string]json.RawMessage `json:"matchingRules"`
			}
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	it := doc.Interactions[0]
	if doc.Metadata.PactSpecification.Version != "4.0" || it.Type != HTTPInteraction || len(it.Key) != 16 || it.Pending == nil || *it.Pending {
		t.Errorf("version %q, type %q, key %q, pending %v", doc.Metadata.PactSpecification.Version, it.Type, it.Key, it.Pending)
	}
	if string(compact(it.Request["query"])) != `{"_limit":["10"],"_page":["1"],"tag":["a","b"]}` {
		t.Errorf("query %s", it.Request["query"])
	}
	if b := it.Response.Body; b["contentType"] != "application/json" || b["encoded"] != false || b["content"] == nil {
		t.Errorf("body %v", b)
	}
	if _, ok := it.Response.MatchingRules["body"]["$.D.Results[*].Id"]; !ok {
		t.Errorf("rules %v", it.Response.MatchingRules)
	}
}

func TestMarshalBodies(t *testing.T) {
	f := &File{Consumer: "c", Provider: "p", Interactions: []Interaction{{
		Description: "binary",
		Request:     Request{Method: "POST", Path: "/img", Body: Body{Present: true, Raw: []byte{0xff, 0x00, 0x10}}},
		Response: Response{Status: 200, Body: Body{Present: true, ContentType: "text/plain", Raw: []byte("héllo")},
			Rules: Rules{"status": {"": {Matchers: []Matcher{{"match": "statusCode", "status": "success"}}}}, "path": {"": {Matchers: []Matcher{{"match": "regex", "regex": "/img"}}}}}},
	}}}
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"encoded": "base64"`, `"content": "/wAQ"`, `"content": "héllo"`, `"$": {`, `"path": {`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("output lacks %s:\n%s", want, data)
		}
	}
	again, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Interactions[0]; !reflect.DeepEqual(got.Request.Body.Raw, []byte{0xff, 0x00, 0x10}) || string(got.Response.Body.Raw) != "héllo" ||
		!reflect.DeepEqual(got.Response.Rules, f.Interactions[0].Response.Rules) {
		t.Errorf("round trip: %+v", got)
	}
	bad := &File{Interactions: []Interaction{{Description: "d", Response: Response{Body: Body{Present: true, JSON: json.RawMessage("{")}}}}}
	if _, err := bad.Marshal(); err == nil || !strings.Contains(err.Error(), `interaction 0 ("d"): response: body is marked JSON`) {
		t.Errorf("err = %v", err)
	}
}
