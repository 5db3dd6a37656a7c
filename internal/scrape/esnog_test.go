package scrape

import (
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestEsnogParse(t *testing.T) {
	res := parseSiteFixture(t, esnogAdapter{}, "esnog/agenda.html", "https://www.esnog.net/gore33/agenda.html", "")
	if res.Series != "ESNOG" || res.Event != "ESNOG 33" {
		t.Errorf("series %q event %q, want ESNOG / ESNOG 33", res.Series, res.Event)
	}
	checkSiteTalks(t, "esnog", res.Talks, []wantTalk{
		{title: "Bienvenida", speakers: []catalog.Speaker{{Name: "Comité ESNOG"}}, start: "2023-11-15T09:30:00+01:00", minutes: 30},
		{title: "Despliegue de IPv6 en una red de ejemplo", speakers: []catalog.Speaker{{Name: "Lucía Ejemplo", Affiliation: "Operador Ficticio"}},
			start: "2023-11-15T10:00:00+01:00", minutes: 30, links: []catalog.Link{
				{Kind: catalog.LinkSlides, URL: "https://www.esnog.net/gore33/presentaciones/ipv6.pdf"},
				{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=ddddddddddd"},
			}},
		{title: "Peering en España: un estudio inventado", speakers: []catalog.Speaker{{Name: "Pablo Muestra"}, {Name: "Marta Prueba"}},
			start: "2023-11-15T15:00:00+01:00", minutes: 20},
	})
}

// One table for the whole meeting: day rows, the header repeated a day,
// speakers a line each, and the edition read from the title.
func TestEsnogParseOneTable(t *testing.T) {
	res := parseSiteFixture(t, esnogAdapter{}, "esnog/agenda-one-table.html", "", "")
	if res.Event != "ESNOG 30" {
		t.Errorf("event %q, want ESNOG 30", res.Event)
	}
	checkSiteTalks(t, "esnog", res.Talks, []wantTalk{
		{title: "Medidas de latencia inventadas", speakers: []catalog.Speaker{{Name: "Ana Prueba"}, {Name: "Luis Ejemplo"}},
			start: "2022-10-06T10:00:00+02:00", minutes: 45},
		{title: "Resolución DNS en redes imaginarias", speakers: []catalog.Speaker{{Name: "Irene Muestra", Affiliation: "Ejemplo S.L."}},
			start: "2022-10-07T09:30:00+02:00", minutes: 30},
	})
}
