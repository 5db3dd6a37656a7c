package scrape

import (
	"reflect"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestParseSpeakers(t *testing.T) {
	type sp = catalog.Speaker
	tests := []struct {
		in   string
		want []sp
	}{
		{"", []sp{}},
		{"Jane Doe", []sp{{Name: "Jane Doe"}}},
		{"Jane Doe / John Roe", []sp{{Name: "Jane Doe"}, {Name: "John Roe"}}},
		{"Jane Doe, John Roe and Max Muster", []sp{{Name: "Jane Doe"}, {Name: "John Roe"}, {Name: "Max Muster"}}},
		{"Jane Doe, John Roe, and Max Muster", []sp{{Name: "Jane Doe"}, {Name: "John Roe"}, {Name: "Max Muster"}}},
		{"Jane Doe und John Roe", []sp{{Name: "Jane Doe"}, {Name: "John Roe"}}},
		{"Jane Doe & John Roe", []sp{{Name: "Jane Doe"}, {Name: "John Roe"}}},
		{"Jane Doe (Example GmbH)", []sp{{Name: "Jane Doe", Affiliation: "Example GmbH"}}},
		{"Jane Doe - Example Networks", []sp{{Name: "Jane Doe", Affiliation: "Example Networks"}}},
		{"Jane Doe, Example GmbH", []sp{{Name: "Jane Doe", Affiliation: "Example GmbH"}}},
		{"Jane Doe, EXIX", []sp{{Name: "Jane Doe", Affiliation: "EXIX"}}},
		{"Jane Doe, Example University / John Roe, Sample AG", []sp{{Name: "Jane Doe", Affiliation: "Example University"}, {Name: "John Roe", Affiliation: "Sample AG"}}},
		{"Jane Doe (Example) / John Roe (Sample)", []sp{{Name: "Jane Doe", Affiliation: "Example"}, {Name: "John Roe", Affiliation: "Sample"}}},
		{"Anna van der Berg, Example B.V.", []sp{{Name: "Anna van der Berg", Affiliation: "Example B.V."}}},
		{"  J&ouml;rg   M&uuml;ller  ", []sp{{Name: "Jörg Müller"}}},
		{"Jörg Müller &amp; Jane Doe", []sp{{Name: "Jörg Müller"}, {Name: "Jane Doe"}}},
		{"Jane Doe;John Roe", []sp{{Name: "Jane Doe"}, {Name: "John Roe"}}},
		{"Jane Doe (Example Networks), Max Mustermann", []sp{{Name: "Jane Doe", Affiliation: "Example Networks"}, {Name: "Max Mustermann"}}},
		{"Jane Doe (Example, Inc), John Roe (Sample AG)", []sp{{Name: "Jane Doe", Affiliation: "Example, Inc"}, {Name: "John Roe", Affiliation: "Sample AG"}}},
	}
	for _, tt := range tests {
		if got := ParseSpeakers(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSpeakers(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func FuzzParseSpeakers(f *testing.F) {
	for _, s := range []string{"A / B", "Jane Doe, Example GmbH", "X (Y (Z))", "&amp;,,,/ and und"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, sp := range ParseSpeakers(s) {
			if sp.Name == "" || sp.Name != catalog.CleanText(sp.Name) {
				t.Errorf("ParseSpeakers(%q) gave a bad name %q", s, sp.Name)
			}
		}
	})
}
