package markdown

import (
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzRender renders arbitrary notes and checks the HTML as a browser would
// read it: tokenised, not matched with a regexp, so that markup split
// across lines, odd quoting or entity tricks are judged by where the
// browser would see a tag and its attributes.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"", "# Heading\n\n- a\n- [x] done\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"<script>alert(1)</script>", "<SCRIPT SRC=//x/y.js></SCRIPT>", `<img src=x onerror=alert(1)>`,
		`[x](javascript:alert(1))`, `[x](JaVaScRiPt&#58;alert(1))`, "[x](java\tscript:alert(1))", `<javascript:alert(1)>`,
		`![x](x" onerror="alert(1))`, `<svg/onload=alert(1)>`, `<a href="x" onmouseover="y">z</a>`,
		"```html\n<script>x</script>\n```", "<!-- <script> -->", "<scr<script>ipt>alert(1)</script>",
		"[a]: javascript:alert(1)\n\n[b][a]", "<iframe srcdoc=\"<script>alert(1)</script>\">",
		"<details open ontoggle=alert(1)>", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
		"- [ ] <input type=text autofocus onfocus=alert(1)>", "\x00<script>\x00", "*<b onclick=x>*",
	} {
		f.Add(seed)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		out := string(r.Render(src))
		checkTokens(t, src, out, func(tag string) bool { return true })
		hl := string(r.SanitizeHighlight(src))
		checkTokens(t, src, hl, func(tag string) bool { return tag == "mark" })
	})
}

// checkTokens fails when out holds a script-capable element, an event
// handler attribute, a script URL, or an element that allowed rejects.
func checkTokens(t *testing.T, src, out string, allowed func(tag string) bool) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				t.Fatalf("tokenise output of %q: %v", src, z.Err())
			}
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "iframe", "object", "embed", "svg", "math", "style", "form", "meta", "base", "link", "frame", "frameset", "template":
			t.Fatalf("input %q rendered a <%s> element: %s", src, tok.Data, out)
		}
		if !allowed(tok.Data) {
			t.Fatalf("input %q rendered a <%s> element, which is not allowed here: %s", src, tok.Data, out)
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") {
				t.Fatalf("input %q rendered an event handler %s=%q: %s", src, a.Key, a.Val, out)
			}
			if key == "style" || key == "srcdoc" || key == "formaction" {
				t.Fatalf("input %q rendered a %s attribute: %s", src, a.Key, out)
			}
			if isURLAttr(key) && scriptURL(a.Val) {
				t.Fatalf("input %q rendered a script URL %s=%q: %s", src, a.Key, a.Val, out)
			}
		}
	}
}

func isURLAttr(key string) bool {
	switch key {
	case "href", "src", "action", "xlink:href", "cite", "background", "poster":
		return true
	}
	return false
}

// scriptURL reports whether a browser would treat v as a javascript:,
// vbscript: or data: URL: it drops control characters and spaces before
// reading the scheme.
func scriptURL(v string) bool {
	cleaned := strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, strings.ToLower(v))
	for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
		if strings.HasPrefix(cleaned, scheme) {
			return true
		}
	}
	return false
}
