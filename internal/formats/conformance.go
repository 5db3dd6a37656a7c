package formats

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Conformance to the c3voc schedule JSON schemas (voc/schedule's
// validator/json/schema.json for v1 and schema2.json for v2), written out
// as Go: the rules those schemas state about the keys, types, formats
// (date, date-time, uuid, uri) and patterns of the schedule, the
// conference, its days, rooms and tracks, and each event with its persons
// and links. The project does not ship the schema files; the tests check
// these rules against the real schemas with a JSON Schema validator.
//
// Keywords the schemas spell "$oneOf" are not JSON Schema keywords and
// constrain nothing, and the "color" format is not one validators know;
// both are left out here as the validators leave them out.

// conformanceFinding is one thing that does not conform: where (JSON
// pointer tokens), the rule it breaks, and the offending value if short.
type conformanceFinding struct {
	path  []string
	rule  string
	value string
}

// schemaTypes is a set of JSON types a value may have.
type schemaTypes uint8

const (
	jtString schemaTypes = 1 << iota
	jtInteger
	jtNumber // includes integers
	jtBool
	jtNull
	jtObject
	jtArray
)

func (t schemaTypes) String() string {
	var names []string
	for _, n := range []struct {
		t    schemaTypes
		name string
	}{{jtString, "string"}, {jtInteger, "integer"}, {jtNumber, "number"}, {jtBool, "boolean"}, {jtNull, "null"}, {jtObject, "object"}, {jtArray, "array"}} {
		if t&n.t != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, " or ")
}

func schemaTypeOf(v any) schemaTypes {
	switch x := v.(type) {
	case nil:
		return jtNull
	case string:
		return jtString
	case bool:
		return jtBool
	case json.Number:
		if _, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return jtInteger | jtNumber
		}
		if f, err := x.Float64(); err == nil && f == float64(int64(f)) {
			return jtInteger | jtNumber
		}
		return jtNumber
	case float64:
		if x == float64(int64(x)) {
			return jtInteger | jtNumber
		}
		return jtNumber
	case map[string]any:
		return jtObject
	case []any:
		return jtArray
	}
	return 0
}

// schemaProp is the schema of one value.
type schemaProp struct {
	types   schemaTypes // 0: any type
	format  string      // date, date-time, uuid, uri, iso-duration
	pattern string
	enum    []string
	min     *int64
	// items checks each element of an array; object checks an object.
	items  func(c *schemaChecker, path []string, v any)
	object func(c *schemaChecker, path []string, v any)
	// never says the key must not be there at all (a false schema).
	never bool
}

// schemaObject is the schema of an object.
type schemaObject struct {
	required []string
	props    map[string]schemaProp
	closed   bool                  // additionalProperties: false
	extra    func(key string) bool // keys patternProperties allow in a closed object
	extraVal *schemaProp           // the schema of those keys' values
}

type schemaChecker struct {
	findings []conformanceFinding
	patterns map[string]*regexp.Regexp
}

func newSchemaChecker() *schemaChecker { return &schemaChecker{patterns: map[string]*regexp.Regexp{}} }

// sub is a checker for trying an alternative (a oneOf branch) that
// shares the compiled patterns.
func (c *schemaChecker) sub() *schemaChecker { return &schemaChecker{patterns: c.patterns} }

// take returns the findings so far and starts afresh.
func (c *schemaChecker) take() []conformanceFinding {
	f := c.findings
	c.findings = nil
	return f
}

func (c *schemaChecker) add(path []string, rule string, v any) {
	c.findings = append(c.findings, conformanceFinding{path: slices.Clone(path), rule: rule, value: schemaShortValue(v)})
}

func (c *schemaChecker) re(pattern string) *regexp.Regexp {
	if r, ok := c.patterns[pattern]; ok {
		return r
	}
	r := regexp.MustCompile(pattern)
	c.patterns[pattern] = r
	return r
}

// object checks v against spec and returns it as a map (nil if it is not
// an object).
func (c *schemaChecker) object(path []string, v any, spec schemaObject) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		c.add(path, "is "+schemaTypeOf(v).String()+", want an object", v)
		return nil
	}
	var missing []string
	for _, k := range spec.required {
		if _, ok := m[k]; !ok {
			missing = append(missing, strconv.Quote(k))
		}
	}
	if len(missing) > 0 {
		c.add(path, "lacks the required "+strings.Join(missing, ", "), nil)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var unknown []string
	for _, k := range keys {
		p, known := spec.props[k]
		if !known {
			if spec.extra != nil && spec.extra(k) {
				if spec.extraVal != nil {
					c.value(append(path, k), m[k], *spec.extraVal)
				}
				continue
			}
			if spec.closed {
				unknown = append(unknown, strconv.Quote(k))
			}
			continue
		}
		c.value(append(path, k), m[k], p)
	}
	if len(unknown) > 0 {
		c.add(path, "has keys the schema does not allow: "+strings.Join(unknown, ", "), nil)
	}
	return m
}

// value checks one value against p.
func (c *schemaChecker) value(path []string, v any, p schemaProp) {
	if p.never {
		c.add(path, "must not be there", nil)
		return
	}
	t := schemaTypeOf(v)
	if p.types != 0 && t&p.types == 0 {
		c.add(path, "is "+schemaTypeName(t)+", want "+p.types.String(), v)
		return
	}
	if s, ok := v.(string); ok {
		if p.format != "" {
			if why := c.formatProblem(p.format, s); why != "" {
				c.add(path, why, v)
			}
		}
		if p.pattern != "" && !c.re(p.pattern).MatchString(s) {
			c.add(path, "does not match "+p.pattern, v)
		}
	}
	if len(p.enum) > 0 {
		s, ok := v.(string)
		if !ok || !slices.Contains(p.enum, s) {
			c.add(path, "is not one of "+strings.Join(p.enum, ", "), v)
		}
	}
	if p.min != nil && t&jtNumber != 0 {
		if n, err := v.(json.Number).Float64(); err == nil && n < float64(*p.min) {
			c.add(path, fmt.Sprintf("is less than %d", *p.min), v)
		}
	}
	if p.items != nil {
		if l, ok := v.([]any); ok {
			for i, item := range l {
				p.items(c, append(path, strconv.Itoa(i)), item)
			}
		}
	}
	if p.object != nil && t == jtObject {
		p.object(c, path, v)
	}
}

func schemaTypeName(t schemaTypes) string {
	if t&jtInteger != 0 {
		return "an integer"
	}
	switch t {
	case jtNull:
		return "null"
	case jtString:
		return "a string"
	case jtNumber:
		return "a number"
	case jtBool:
		return "a boolean"
	case jtObject:
		return "an object"
	case jtArray:
		return "an array"
	}
	return "of no JSON type"
}

// formatProblem says how s fails a format, or "".
func (c *schemaChecker) formatProblem(format, s string) string {
	switch format {
	case "date":
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return "is not a date (YYYY-MM-DD)"
		}
	case "date-time":
		if !c.isDateTime(s) {
			return "is not an RFC 3339 date-time"
		}
	case "uuid":
		if !c.re(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`).MatchString(s) {
			return "is not a UUID"
		}
	case "uri":
		u, err := url.Parse(s)
		if err != nil || !u.IsAbs() {
			return "is not an absolute URI"
		}
	case "iso-duration":
		if !c.isISODuration(s) {
			return "is not an ISO 8601 duration (like PT1H30M)"
		}
	}
	return ""
}

// isDateTime follows RFC 3339's grammar: YYYY-MM-DD, T (either case),
// hh:mm:ss with optional fraction, and Z or an offset.
func (c *schemaChecker) isDateTime(s string) bool {
	if len(s) < 20 || (s[10] != 'T' && s[10] != 't') {
		return false
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return false
	}
	m := c.re(`^(\d\d):(\d\d):(\d\d)(\.\d+)?([zZ]|[+-](\d\d):(\d\d))$`).FindStringSubmatch(s[11:])
	if m == nil {
		return false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	if h > 23 || mi > 59 || sec > 60 {
		return false
	}
	if m[6] != "" {
		oh, _ := strconv.Atoi(m[6])
		om, _ := strconv.Atoi(m[7])
		if oh > 23 || om > 59 {
			return false
		}
	}
	return true
}

// isISODuration is schema2's Duration pattern, whose look-aheads (not
// empty, a digit after T) Go's regexp has no syntax for.
func (c *schemaChecker) isISODuration(s string) bool {
	if s == "P" || strings.HasSuffix(s, "T") {
		return false
	}
	if i := strings.IndexByte(s, 'T'); i >= 0 && (i+1 >= len(s) || s[i+1] < '0' || s[i+1] > '9') {
		return false
	}
	return c.re(`^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$`).MatchString(s)
}

func schemaShortValue(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		s = x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	default:
		return ""
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return strconv.Quote(s)
}

// Shared pieces of both schemas.

const (
	schemaSlugPattern     = `^[a-z0-9_-]+[a-z0-9]$`
	schemaAcronymPattern  = `^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$`
	schemaTimeZonePattern = `^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$`
	schemaCodePattern     = `^[A-Z0-9]+$`
)

func sString() schemaProp                { return schemaProp{types: jtString} }
func sStringOrNull() schemaProp          { return schemaProp{types: jtString | jtNull} }
func sFormat(format string) schemaProp   { return schemaProp{types: jtString, format: format} }
func sPattern(pattern string) schemaProp { return schemaProp{types: jtString, pattern: pattern} }

func sArrayOf(items func(c *schemaChecker, path []string, v any)) schemaProp {
	return schemaProp{types: jtArray, items: items}
}

func sObjectOf(spec func() schemaObject) func(c *schemaChecker, path []string, v any) {
	return func(c *schemaChecker, path []string, v any) { c.object(path, v, spec()) }
}

func schemaGeneratorSpec() schemaObject {
	return schemaObject{props: map[string]schemaProp{"name": sString(), "version": sString(), "url": sFormat("uri")}}
}

func schemaRootSpec(schedule func() schemaObject) schemaObject {
	return schemaObject{
		required: []string{"schedule"},
		closed:   true,
		props: map[string]schemaProp{
			"schedule":  {types: jtObject, object: sObjectOf(schedule)},
			"$schema":   sString(),
			"generator": {types: jtObject, object: sObjectOf(schemaGeneratorSpec)},
		},
	}
}

func schemaColorsSpec() schemaObject {
	return schemaObject{props: map[string]schemaProp{"primary": sString(), "background": sString()}}
}

// v1: schema.json

func v1ScheduleSpec() schemaObject {
	return schemaObject{
		required: []string{"conference", "version"},
		props: map[string]schemaProp{
			"version":    sString(),
			"base_url":   sFormat("uri"),
			"conference": {types: jtObject},
			"rooms":      {never: true},
		},
	}
}

func v1ConferenceSpec() schemaObject {
	return schemaObject{
		required: []string{"title", "acronym", "days", "daysCount", "start", "end", "timeslot_duration"},
		closed:   true,
		props: map[string]schemaProp{
			"acronym":           sPattern(schemaAcronymPattern),
			"title":             sString(),
			"description":       sString(),
			"start":             sString(),
			"end":               sString(),
			"daysCount":         {types: jtInteger},
			"timeslot_duration": sString(),
			"time_zone_name":    sPattern(schemaTimeZonePattern),
			"logo":              sFormat("uri"),
			"colors":            {types: jtObject, object: sObjectOf(schemaColorsSpec)},
			"keywords":          sArrayOf(func(c *schemaChecker, path []string, v any) { c.value(path, v, sString()) }),
			"url":               sFormat("uri"),
			"tracks":            sArrayOf(sObjectOf(v1TrackSpec)),
			"rooms":             sArrayOf(sObjectOf(v1RoomSpec)),
			"meta":              {types: jtObject},
			"days":              {types: jtArray},
		},
	}
}

func v1TrackSpec() schemaObject {
	return schemaObject{props: map[string]schemaProp{"name": sString(), "slug": sPattern(schemaSlugPattern), "color": sString()}}
}

func v1RoomSpec() schemaObject {
	return schemaObject{
		required: []string{"name", "guid"},
		closed:   true,
		extra:    func(k string) bool { return len(k) > len("description_") && strings.HasPrefix(k, "description_") },
		extraVal: &schemaProp{types: jtString | jtNull},
		props: map[string]schemaProp{
			"name":        sString(),
			"slug":        sPattern(schemaSlugPattern),
			"type":        {types: jtString, enum: []string{"lecturehall", "stage", "workshop", "outside", "online", "project", "bbb", "hangar", "other"}},
			"guid":        sFormat("uuid"),
			"stream_id":   sStringOrNull(),
			"description": {types: jtString | jtNull | jtObject},
			"capacity":    {types: jtNumber | jtNull},
			"url":         sFormat("uri"),
			"features": {types: jtObject, object: sObjectOf(func() schemaObject {
				return schemaObject{props: map[string]schemaProp{"recording": {types: jtString, enum: []string{"record_by_default", "not_recorded_by_default", "recording_forbidden", "recording_not_possible", "unknown"}}}}
			})},
			"assembly": {types: jtObject, object: sObjectOf(func() schemaObject {
				return schemaObject{
					required: []string{"name", "guid", "slug"},
					props:    map[string]schemaProp{"name": sString(), "slug": sPattern(schemaSlugPattern), "guid": sFormat("uuid"), "url": sFormat("uri")},
				}
			})},
		},
	}
}

func v1DaySpec() schemaObject {
	return schemaObject{
		required: []string{"date", "day_end", "day_start", "index", "rooms"},
		closed:   true,
		props: map[string]schemaProp{
			"index":     {types: jtInteger},
			"date":      sFormat("date"),
			"day_start": sFormat("date-time"),
			"day_end":   sFormat("date-time"),
			"rooms":     {types: jtObject},
		},
	}
}

func v1ReferenceSpec() schemaObject {
	return schemaObject{
		required: []string{"url"},
		closed:   true,
		props: map[string]schemaProp{
			"type":  {types: jtString, enum: []string{"slides", "paper", "web", "blog", "article", "media", "related", "activitypub"}},
			"url":   sFormat("uri"),
			"title": sString(),
		},
	}
}

func v1EventSpec() schemaObject {
	one := int64(1)
	refs := sArrayOf(sObjectOf(v1ReferenceSpec))
	return schemaObject{
		required: []string{"abstract", "date", "duration", "guid", "id", "language", "links", "persons", "room", "slug", "start", "subtitle", "title", "track", "type", "url"},
		closed:   true,
		props: map[string]schemaProp{
			"guid":              sFormat("uuid"),
			"code":              sPattern(schemaCodePattern),
			"id":                {types: jtInteger, min: &one},
			"logo":              {},
			"date":              sFormat("date-time"),
			"start":             sPattern(`^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$`),
			"end":               sFormat("date-time"),
			"duration":          sPattern(`^[0-9]+:[0-9]{2}$`),
			"room":              sString(),
			"slug":              sPattern(schemaSlugPattern),
			"url":               sFormat("uri"),
			"title":             sString(),
			"subtitle":          sStringOrNull(),
			"track":             sStringOrNull(),
			"type":              sString(),
			"language":          sStringOrNull(),
			"abstract":          sStringOrNull(),
			"description":       sStringOrNull(),
			"recording_license": sString(),
			"do_not_record":     {types: jtBool | jtNull},
			"do_not_stream":     {types: jtBool | jtString | jtNull},
			"persons":           sArrayOf(checkV1Person),
			"links":             refs,
			"feedback_url":      sFormat("uri"),
			"origin_url":        sFormat("uri"),
			"attachments":       refs,
		},
	}
}

// checkV1Person checks a person: its own properties, and that it is
// exactly one of a frab person (id and public_name) or a pretalx person
// (name) — the schema's oneOf, so a person with all three fails too.
func checkV1Person(c *schemaChecker, path []string, v any) {
	m := c.object(path, v, schemaObject{props: map[string]schemaProp{
		"name":        sString(),
		"guid":        sFormat("uuid"),
		"id":          {types: jtInteger},
		"url":         sFormat("uri"),
		"links":       sArrayOf(sObjectOf(v1ReferenceSpec)),
		"public_name": sString(),
	}})
	if m == nil {
		return
	}
	frab := c.sub()
	frab.object(path, m, schemaObject{required: []string{"public_name", "id"}, props: map[string]schemaProp{"id": {types: jtInteger}, "public_name": sString()}})
	pretalx := c.sub()
	pretalx.object(path, m, schemaObject{required: []string{"name"}, props: map[string]schemaProp{
		"code":      sPattern(schemaCodePattern),
		"name":      sString(),
		"avatar":    {types: jtString | jtNull, format: "uri"},
		"biography": sStringOrNull(),
	}})
	switch frabOK, pretalxOK := len(frab.findings) == 0, len(pretalx.findings) == 0; {
	case frabOK && pretalxOK:
		c.add(path, "is both a frab person (id, public_name) and a pretalx person (name); the schema wants exactly one", nil)
	case !frabOK && !pretalxOK:
		c.add(path, "is neither a frab person (id, public_name) nor a pretalx person (name)", nil)
	}
}

// c3vocConformDocument checks everything but the events, which the reader
// checks one by one as it maps them (c3vocConformEventV1/V2).
func c3vocConformDocument(doc *c3vocDoc, v2 bool) []conformanceFinding {
	c := newSchemaChecker()
	root := map[string]any{}
	for k, raw := range doc.root {
		var v any
		if raw != nil && c3vocDecode(raw, &v) != nil {
			continue
		}
		root[k] = v
	}
	sched := c3vocFields(doc.sched)
	if doc.hasConf {
		sched["conference"] = map[string]any{}
	}
	if doc.eventsList {
		if _, atRoot := doc.root["events"]; !atRoot {
			sched["events"] = []any{}
		}
	}
	root["schedule"] = sched
	schedSpec := v1ScheduleSpec
	if v2 {
		schedSpec = v2ScheduleSpec
	}
	c.object(nil, root, schemaRootSpec(schedSpec))
	if !doc.hasConf {
		return c.findings
	}
	conf := c3vocFields(doc.conf)
	if doc.hasDays {
		conf["days"] = []any{}
	}
	confPath := []string{"schedule", "conference"}
	if v2 {
		c.object(confPath, conf, v2ConferenceSpec())
	} else {
		c.object(confPath, conf, v1ConferenceSpec())
	}
	for _, day := range doc.days {
		fields := c3vocFields(day.fields)
		if day.hasRooms {
			fields["rooms"] = map[string]any{}
		}
		if v2 {
			c.object(day.path, fields, v2DaySpec())
		} else {
			c.object(day.path, fields, v1DaySpec())
		}
	}
	return c.findings
}

// c3vocConformEventV1 checks one v1 event (schema.json's Event).
func c3vocConformEventV1(c *schemaChecker, path []string, m map[string]any) []conformanceFinding {
	c.object(path, m, v1EventSpec())
	return c.take()
}

// v2: schema2.json

func v2ScheduleSpec() schemaObject {
	return schemaObject{
		required: []string{"conference", "version"},
		props: map[string]schemaProp{
			"version":    sString(),
			"conference": {types: jtObject},
			"events":     {types: jtArray},
		},
	}
}

func sLocalizable() schemaProp {
	return schemaProp{types: jtString | jtNull | jtObject, object: func(c *schemaChecker, path []string, v any) {
		c.object(path, v, schemaObject{
			closed:   true,
			extra:    func(k string) bool { return len(k) == 2 && k[0] >= 'a' && k[0] <= 'z' && k[1] >= 'a' && k[1] <= 'z' },
			extraVal: &schemaProp{types: jtString},
		})
	}}
}

func sLanguage() schemaProp { return sPattern(`^[a-z]{2}$`) }

func v2ImageSpec() schemaObject {
	return schemaObject{required: []string{"url"}, closed: true, props: map[string]schemaProp{"type": sString(), "url": sFormat("uri")}}
}

func v2ConferenceSpec() schemaObject {
	return schemaObject{
		required: []string{"title", "acronym", "days", "start", "end"},
		closed:   true,
		props: map[string]schemaProp{
			"acronym":           sPattern(schemaAcronymPattern),
			"title":             sString(),
			"description":       sLocalizable(),
			"start":             sFormat("date-time"),
			"end":               sFormat("date-time"),
			"timeslot_duration": sFormat("iso-duration"),
			"time_zone_name":    sPattern(schemaTimeZonePattern),
			"logo":              {types: jtObject, object: sObjectOf(v2ImageSpec)},
			"colors":            {types: jtObject, object: sObjectOf(schemaColorsSpec)},
			"keywords":          sArrayOf(func(c *schemaChecker, path []string, v any) { c.value(path, v, sString()) }),
			"url":               sFormat("uri"),
			"languages":         sArrayOf(func(c *schemaChecker, path []string, v any) { c.value(path, v, sLanguage()) }),
			"defaults": {types: jtObject, object: sObjectOf(func() schemaObject {
				return schemaObject{props: map[string]schemaProp{"theme": {types: jtString, enum: []string{"light", "dark"}}, "language": sLanguage()}}
			})},
			"tracks": sArrayOf(sObjectOf(func() schemaObject {
				return schemaObject{props: map[string]schemaProp{
					"type": sString(), "name": sString(), "slug": sPattern(schemaSlugPattern), "color": sString(),
					"colors": {types: jtObject},
				}}
			})),
			"rooms": sArrayOf(sObjectOf(v2RoomSpec)),
			"meta":  {types: jtObject},
			"days":  {types: jtArray},
		},
	}
}

func v2RoomSpec() schemaObject {
	return schemaObject{
		required: []string{"name", "guid"},
		closed:   true,
		props: map[string]schemaProp{
			"name":        sString(),
			"slug":        sPattern(schemaSlugPattern),
			"type":        {types: jtString, enum: []string{"LECTURE_HALL", "STAGE", "WORKSHOP", "OUTSIDE", "VIRTUAL", "PROJECT", "HANGAR", "OTHER"}},
			"guid":        sFormat("uuid"),
			"stream_id":   sStringOrNull(),
			"description": sLocalizable(),
			"capacity":    {types: jtNumber | jtNull},
			"url":         sFormat("uri"),
			"features": {types: jtObject, object: sObjectOf(func() schemaObject {
				return schemaObject{props: map[string]schemaProp{"recording": {types: jtString, enum: []string{"RECORD_BY_DEFAULT", "NOT_RECORDED_BY_DEFAULT", "RECORDING_FORBIDDEN", "RECORDING_NOT_POSSIBLE", "UNKNOWN"}}}}
			})},
			"parent": {},
		},
	}
}

func v2DaySpec() schemaObject {
	return schemaObject{
		required: []string{"date", "end", "start", "index"},
		closed:   true,
		props: map[string]schemaProp{
			"index": {types: jtInteger},
			"date":  sFormat("date"),
			"start": sFormat("date-time"),
			"end":   sFormat("date-time"),
		},
	}
}

func v2RoomReferenceSpec() schemaObject {
	return schemaObject{required: []string{"guid"}, props: map[string]schemaProp{"name": sString(), "slug": sPattern(schemaSlugPattern), "guid": sFormat("uuid")}}
}

func v2ReferenceSpec() schemaObject {
	return schemaObject{
		required: []string{"url"},
		closed:   true,
		props: map[string]schemaProp{
			"type":  {types: jtString, enum: []string{"SLIDES", "PAPER", "WEB", "BLOG", "ARTICLE", "BOOK", "MEDIA", "RELATED", "FEEDBACK", "ORIGIN", "ACTIVITYPUB"}},
			"url":   sFormat("uri"),
			"title": sString(),
			// The three service enums do not overlap, so their oneOf is
			// their union.
			"service": {types: jtString, enum: []string{"FORGEJO", "GITHUB", "GITLAB", "MASTODON", "BLUESKY", "INSTAGRAM", "THREADS", "TWITTER", "MEDIACCCDE", "PEERTUBE"}},
		},
	}
}

func v2EventSpec() schemaObject {
	refs := sArrayOf(sObjectOf(v2ReferenceSpec))
	return schemaObject{
		required: []string{"abstract", "guid", "language", "links", "participants", "room", "slug", "start", "end", "subtitle", "title", "track", "type", "url"},
		closed:   true,
		props: map[string]schemaProp{
			"guid":     sFormat("uuid"),
			"code":     sPattern(schemaCodePattern),
			"logo":     {types: jtNull | jtObject, object: sObjectOf(v2ImageSpec)},
			"start":    sFormat("date-time"),
			"end":      sFormat("date-time"),
			"duration": sFormat("iso-duration"),
			"room":     {types: jtObject, object: sObjectOf(v2RoomReferenceSpec)},
			"slug":     sPattern(schemaSlugPattern),
			"url":      sFormat("uri"),
			"title":    sString(),
			"subtitle": sStringOrNull(),
			"track": {types: jtObject, object: sObjectOf(func() schemaObject {
				return schemaObject{required: []string{"slug"}, props: map[string]schemaProp{"slug": sPattern(schemaSlugPattern)}}
			})},
			"type":        {types: jtString, enum: []string{"TALK", "WORKSHOP", "HANDS-ON", "MEETING", "DISCUSSION", "PERFORMANCE", "CONCERT", "GAME", "LIGHTNING_TALK", "OTHER"}},
			"language":    sLanguage(),
			"abstract":    sLocalizable(),
			"description": sLocalizable(),
			"participants": sArrayOf(sObjectOf(func() schemaObject {
				return schemaObject{required: []string{"guid", "name"}, props: map[string]schemaProp{
					"name": sString(),
					"role": {types: jtString, enum: []string{"SPEAKER", "MODERATOR", "CONTRIBUTOR", "HOST", "GUEST"}},
					"guid": sFormat("uuid"),
				}}
			})),
			"links":       refs,
			"attachments": refs,
			"state":       {types: jtString, enum: []string{"DRAFT", "SUBMITTED", "ACCEPTED", "REJECTED", "CONFIRMED", "DELAYED", "CANCELED", "WITHDRAWN", "DELETED"}},
		},
	}
}

func v2MetaEventSpec() schemaObject {
	return schemaObject{
		required: []string{"start", "end", "title", "type"},
		closed:   true,
		props: map[string]schemaProp{
			"type":     {types: jtString, enum: []string{"BREAK", "META"}},
			"title":    sString(),
			"subtitle": sString(),
			"guid":     sFormat("uuid"),
			"start":    sFormat("date-time"),
			"end":      sFormat("date-time"),
			"room":     {types: jtObject, object: sObjectOf(v2RoomReferenceSpec)},
		},
	}
}

// c3vocConformEventV2 checks one v2 events entry, which must be a talk-like
// Event or a MetaEvent (a break). The two are told apart by their type, as
// their type enums do not overlap.
func c3vocConformEventV2(c *schemaChecker, path []string, m map[string]any) []conformanceFinding {
	switch c3vocString(m["type"]) {
	case "BREAK", "META":
		c.object(path, m, v2MetaEventSpec())
	default:
		c.object(path, m, v2EventSpec())
	}
	return c.take()
}

// schemaPointerText writes JSON pointer tokens the way people read paths:
// schedule.conference.days[0].rooms["Curie"][4].slug.
func schemaPointerText(path []string) string {
	var b strings.Builder
	for i, tok := range path {
		switch {
		case allDigits(tok) && i > 0:
			b.WriteString("[" + tok + "]")
		case regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`).MatchString(tok):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
		default:
			b.WriteString("[" + strconv.Quote(tok) + "]")
		}
	}
	if b.Len() == 0 {
		return "the document"
	}
	return b.String()
}

// schemaPointerPattern generalises a path over the lists and rooms it passes
// through, so that the same rule broken by many events is one note.
func schemaPointerPattern(path []string) string {
	out := make([]string, len(path))
	for i, tok := range path {
		switch {
		case allDigits(tok):
			out[i] = "*"
		case i > 0 && path[i-1] == "rooms" && i >= 3 && path[i-3] == "days":
			out[i] = "*" // a v1 room name
		default:
			out[i] = tok
		}
	}
	return strings.Join(out, "/")
}

// schemaPatternText words a pointer pattern: schedule.conference.days[].rooms[][].slug.
func schemaPatternText(pattern string) string {
	var b strings.Builder
	for _, tok := range strings.Split(pattern, "/") {
		if tok == "*" {
			b.WriteString("[]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}
