package formats

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// seriesFromEvent derives a series name from an event title by dropping
// the year: "PyCon US 2019" → "PyCon US", "En attendant la PyConFr
// (2020-2021)" → "En attendant la PyConFr". A year anywhere in the title
// goes, with a month and day right after it ("… 2016 Jan 13") and with what
// it leaves dangling (brackets, commas, "circa"). A title without a year is
// its own series.
func seriesFromEvent(title string) string {
	fields := strings.Fields(title)
	kept := make([]string, 0, len(fields))
	afterYear := false
	for _, f := range fields {
		core := strings.Trim(f, "()[]{},.;:!?\"'")
		switch {
		case isYearish(core):
			afterYear = true
			continue
		case afterYear && (isMonthName(core) || isDayOfMonth(core)):
			continue
		}
		afterYear = false
		if stem, _, ok := cutGluedYear(f); ok {
			f = stem
		}
		kept = append(kept, f)
	}
	for len(kept) > 0 {
		last := strings.ToLower(strings.Trim(kept[len(kept)-1], ",;:"))
		if last != "circa" && last != "ca." && last != "c." && last != "()" && last != "[]" {
			break
		}
		kept = kept[:len(kept)-1]
	}
	series := strings.Join(kept, " ")
	series = strings.ReplaceAll(strings.ReplaceAll(series, "()", ""), "[]", "")
	series = strings.Trim(strings.Join(strings.Fields(series), " "), " ,;:-–—/|@(")
	if series == "" {
		return strings.Join(strings.Fields(title), " ")
	}
	return series
}

// yearFromTitle returns the first year named in a title ("PyCon US 2019",
// "DePy2015", "(2020-2021)" → its first year), or 0.
func yearFromTitle(title string) int {
	for _, f := range strings.Fields(title) {
		core := strings.Trim(f, "()[]{},.;:!?\"'")
		if isYearish(core) {
			y, _ := strconv.Atoi(core[:4])
			return y
		}
		if _, y, ok := cutGluedYear(core); ok {
			return y
		}
	}
	return 0
}

// isYearish matches 2019, 2020-2021, 2020/21 and the like (1900–2099).
func isYearish(s string) bool {
	if len(s) < 4 || !isYear(s[:4]) {
		return false
	}
	rest := s[4:]
	if rest == "" {
		return true
	}
	sep, n := utf8.DecodeRuneInString(rest)
	if sep != '-' && sep != '/' && sep != '–' {
		return false
	}
	rest = rest[n:]
	return (len(rest) == 4 && isYear(rest)) || (len(rest) == 2 && allDigits(rest))
}

func isYear(s string) bool {
	return len(s) == 4 && allDigits(s) && (s[:2] == "19" || s[:2] == "20")
}

// cutGluedYear splits "DePy2015" into "DePy" and 2015.
func cutGluedYear(s string) (stem string, year int, ok bool) {
	if len(s) <= 4 || !isYear(s[len(s)-4:]) {
		return s, 0, false
	}
	stem = s[:len(s)-4]
	r, _ := utf8.DecodeLastRuneInString(stem)
	if !unicode.IsLetter(r) {
		return s, 0, false
	}
	year, _ = strconv.Atoi(s[len(s)-4:])
	return stem, year, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isMonthName(s string) bool {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	switch s {
	case "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
		"jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december":
		return true
	}
	return false
}

func isDayOfMonth(s string) bool {
	s = strings.ToLower(s)
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		s = strings.TrimSuffix(s, suffix)
	}
	if len(s) == 0 || len(s) > 2 || !allDigits(s) {
		return false
	}
	n, _ := strconv.Atoi(s)
	return n >= 1 && n <= 31
}

// titleFromSlug makes a folder slug readable when nothing better names the
// event: "pycon-us-2019" → "PyCon US 2019". Well-known names keep their
// capitalisation, two-letter words are taken for country or region codes,
// and everything else is capitalised. It is a guess; a real title always
// wins.
func titleFromSlug(slug string) string {
	var words []string
	for _, part := range strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' || r == ' ' || r == '.' || r == '/' || r == '\\' }) {
		if stem, year, ok := cutGluedYear(part); ok {
			words = append(words, stem, strconv.Itoa(year))
			continue
		}
		words = append(words, part)
	}
	for i, w := range words {
		words[i] = slugWord(strings.ToLower(w), i == 0)
	}
	return strings.Join(words, " ")
}

func slugWord(w string, first bool) string {
	if known := wellKnownName(w); known != "" {
		return known
	}
	switch {
	case allDigits(w):
		return w
	case !first && (w == "the" || w == "of" || w == "and" || w == "for" || w == "on" || w == "in" || w == "at" || w == "to" || w == "an" || w == "a"):
		return w
	case len(w) == 2:
		return strings.ToUpper(w)
	}
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// wellKnownName spells conference and community names the way their
// organisers do; the words come from pyvideo's event folders.
func wellKnownName(w string) string {
	switch w {
	case "pycon":
		return "PyCon"
	case "pydata":
		return "PyData"
	case "pyday":
		return "PyDay"
	case "europython":
		return "EuroPython"
	case "euroscipy":
		return "EuroSciPy"
	case "scipy":
		return "SciPy"
	case "scipyla":
		return "SciPyLA"
	case "djangocon":
		return "DjangoCon"
	case "djangocong":
		return "DjangoCong"
	case "flaskcon":
		return "FlaskCon"
	case "jupytercon":
		return "JupyterCon"
	case "pyohio":
		return "PyOhio"
	case "pytexas":
		return "PyTexas"
	case "pygotham":
		return "PyGotham"
	case "pybay":
		return "PyBay"
	case "pybeach":
		return "PyBeach"
	case "pycascades":
		return "PyCascades"
	case "pycaribbean":
		return "PyCaribbean"
	case "pycolorado":
		return "PyColorado"
	case "pycode":
		return "PyCode"
	case "pyconweb":
		return "PyConWeb"
	case "pyconfr":
		return "PyConFr"
	case "pyladies":
		return "PyLadies"
	case "pyladiescon":
		return "PyLadiesCon"
	case "pylondinium":
		return "PyLondinium"
	case "pyparis":
		return "PyParis"
	case "pytennessee":
		return "PyTennessee"
	case "pyastro":
		return "PyAstro"
	case "pygrunn":
		return "PyGrunn"
	case "pywaw":
		return "PyWaw"
	case "pydx":
		return "PyDX"
	case "pydelhiconf":
		return "PyDelhiConf"
	case "pytorch":
		return "PyTorch"
	case "pytorchconf":
		return "PyTorchConf"
	case "piterpy":
		return "PiterPy"
	case "odessapy":
		return "OdessaPy"
	case "depy":
		return "DePy"
	case "chipy":
		return "ChiPy"
	case "geopython":
		return "GeoPython"
	case "ploneconf":
		return "PloneConf"
	case "writethedocs":
		return "Write the Docs"
	case "northbaypython":
		return "North Bay Python"
	case "pythonbrasil":
		return "Python Brasil"
	case "fosdem":
		return "FOSDEM"
	case "apac":
		return "APAC"
	case "ndc":
		return "NDC"
	case "uai":
		return "UAI"
	case "nog":
		return "NOG"
	}
	return ""
}

// pelicanSlug reproduces the slug pyvideo.org's Pelican build gives a title,
// so that pyvideo page URLs can be rebuilt: transliterate to ASCII, drop
// what is not a word character, space or hyphen, lower-case, and turn runs
// of spaces and hyphens into one hyphen. Pelican transliterates every
// script (unidecode); we only fold accents, so for titles with letters that
// need real transliteration (Cyrillic, CJK, ß…) ok is false.
func pelicanSlug(s string) (slug string, ok bool) {
	var kept strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r < utf8.RuneSelf:
			if r == '_' || r == '-' || unicode.IsSpace(r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
				kept.WriteRune(r)
			}
		case unicode.Is(unicode.Mn, r): // accents split off by NFKD
		case unicode.Is(unicode.Pd, r): // unidecode turns dashes into hyphens
			kept.WriteByte('-')
		case unicode.IsSpace(r):
			kept.WriteByte(' ')
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			return "", false
		}
	}
	var b strings.Builder
	inRun := false
	for _, r := range strings.ToLower(strings.TrimSpace(kept.String())) {
		if r == '-' || unicode.IsSpace(r) {
			inRun = true
			continue
		}
		if inRun {
			b.WriteByte('-')
			inRun = false
		}
		b.WriteRune(r)
	}
	if inRun {
		b.WriteByte('-')
	}
	if b.Len() == 0 {
		return "", false
	}
	return b.String(), true
}

// languageCode maps an ISO 639-3 (or 639-2/B) code, as pyvideo uses, to
// the two-letter ISO 639-1 code where one exists; other values are kept,
// lower-cased.
func languageCode(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	switch code {
	case "eng":
		return "en"
	case "spa":
		return "es"
	case "por":
		return "pt"
	case "deu", "ger":
		return "de"
	case "fra", "fre":
		return "fr"
	case "ita":
		return "it"
	case "jpn":
		return "ja"
	case "rus":
		return "ru"
	case "zho", "chi":
		return "zh"
	case "pol":
		return "pl"
	case "kor":
		return "ko"
	case "slk", "slo":
		return "sk"
	case "ces", "cze":
		return "cs"
	case "lit":
		return "lt"
	case "lav":
		return "lv"
	case "est":
		return "et"
	case "tha":
		return "th"
	case "eus", "baq":
		return "eu"
	case "heb":
		return "he"
	case "glg":
		return "gl"
	case "cat":
		return "ca"
	case "ukr":
		return "uk"
	case "bel":
		return "be"
	case "nld", "dut":
		return "nl"
	case "swe":
		return "sv"
	case "fin":
		return "fi"
	case "dan":
		return "da"
	case "nor":
		return "no"
	case "nob":
		return "nb"
	case "isl", "ice":
		return "is"
	case "tur":
		return "tr"
	case "ell", "gre":
		return "el"
	case "hun":
		return "hu"
	case "ron", "rum":
		return "ro"
	case "bul":
		return "bg"
	case "hrv":
		return "hr"
	case "srp":
		return "sr"
	case "slv":
		return "sl"
	case "ara":
		return "ar"
	case "fas", "per":
		return "fa"
	case "hin":
		return "hi"
	case "ind":
		return "id"
	case "msa", "may":
		return "ms"
	case "vie":
		return "vi"
	case "tgl":
		return "tl"
	case "ben":
		return "bn"
	case "tam":
		return "ta"
	case "kat", "geo":
		return "ka"
	case "gle":
		return "ga"
	case "cym", "wel":
		return "cy"
	case "epo":
		return "eo"
	}
	return code
}

// languageFromName turns what any format puts in a language field — a code
// ("de", "de-DE", "de-formal", "pt_BR", "ger") or a name ("German",
// "Deutsch", "English (UK)") — into a two-letter code, or "" when it names
// no language we know: a value nobody can filter on is dropped.
func languageFromName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	code, _, _ := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	if isLetters(code) {
		switch len(code) {
		case 2:
			return code
		case 3:
			if c := languageCode(code); len(c) == 2 {
				return c
			}
		}
	}
	if c := languageByName(s); c != "" {
		return c
	}
	// "English (UK)", "EN/DE": the first word decides.
	if words := strings.Fields(strings.NewReplacer("(", " ", ")", " ", ",", " ", "/", " ").Replace(s)); len(words) > 0 && words[0] != s {
		return languageFromName(words[0])
	}
	return ""
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}

// languageByName knows languages by their English name and their own.
func languageByName(name string) string {
	switch name {
	case "english", "englisch", "anglais", "inglés", "ingles", "inglese":
		return "en"
	case "german", "deutsch", "allemand", "alemán", "aleman", "tedesco":
		return "de"
	case "spanish", "español", "espanol", "castellano", "spanisch":
		return "es"
	case "french", "français", "francais", "französisch", "francés", "francese":
		return "fr"
	case "italian", "italiano", "italienisch", "italien":
		return "it"
	case "portuguese", "português", "portugues", "portugiesisch":
		return "pt"
	case "russian", "русский", "russisch":
		return "ru"
	case "chinese", "mandarin", "中文", "chinesisch":
		return "zh"
	case "japanese", "日本語", "japanisch":
		return "ja"
	case "korean", "한국어":
		return "ko"
	case "arabic", "العربية", "arabisch":
		return "ar"
	case "dutch", "nederlands", "niederländisch", "flemish":
		return "nl"
	case "polish", "polski", "polnisch":
		return "pl"
	case "swedish", "svenska", "schwedisch":
		return "sv"
	case "norwegian", "norsk":
		return "no"
	case "danish", "dansk", "dänisch":
		return "da"
	case "finnish", "suomi", "finnisch":
		return "fi"
	case "czech", "čeština", "cestina", "tschechisch":
		return "cs"
	case "slovak", "slovenčina", "slowakisch":
		return "sk"
	case "hungarian", "magyar", "ungarisch":
		return "hu"
	case "romanian", "română", "romana", "rumänisch":
		return "ro"
	case "greek", "ελληνικά", "griechisch":
		return "el"
	case "turkish", "türkçe", "turkce", "türkisch":
		return "tr"
	case "ukrainian", "українська", "ukrainisch":
		return "uk"
	case "hebrew", "עברית", "hebräisch":
		return "he"
	case "hindi", "हिन्दी":
		return "hi"
	case "catalan", "català", "catala", "katalanisch":
		return "ca"
	case "croatian", "hrvatski", "kroatisch":
		return "hr"
	case "serbian", "srpski", "српски", "serbisch":
		return "sr"
	case "slovenian", "slovene", "slovenščina", "slowenisch":
		return "sl"
	case "bulgarian", "български", "bulgarisch":
		return "bg"
	case "indonesian", "bahasa indonesia", "indonesisch":
		return "id"
	case "vietnamese", "tiếng việt", "vietnamesisch":
		return "vi"
	case "thai", "ไทย":
		return "th"
	case "persian", "farsi", "فارسی", "persisch":
		return "fa"
	case "lithuanian", "lietuvių":
		return "lt"
	case "latvian", "latviešu":
		return "lv"
	case "estonian", "eesti":
		return "et"
	case "icelandic", "íslenska":
		return "is"
	case "basque", "euskara":
		return "eu"
	case "galician", "galego":
		return "gl"
	}
	return ""
}
