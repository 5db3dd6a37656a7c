package markdown

import (
	"regexp"
	"strings"
	"testing"
)

// dangerous matches what must never survive rendering: script elements,
// event-handler attributes and javascript:/vbscript: URLs, in any case.
func checkSafe(t *testing.T, out string) {
	t.Helper()
	lower := strings.ToLower(out)
	if strings.Contains(lower, "<script") {
		t.Errorf("output contains <script: %s", out)
	}
	if regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`).MatchString(out) {
		t.Errorf("output contains an on…= attribute: %s", out)
	}
	if regexp.MustCompile(`(?i)(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data):`).MatchString(out) {
		t.Errorf("output contains a script or data URL: %s", out)
	}
	for _, tag := range []string{"<iframe", "<object", "<embed", "<svg", "<math", "<style", "<form", "<meta", "<base", "<link"} {
		if strings.Contains(lower, tag) {
			t.Errorf("output contains %s: %s", tag, out)
		}
	}
}

func TestRenderXSS(t *testing.T) {
	payloads := []struct {
		name string
		src  string
	}{
		{"script tag", `<script>alert(1)</script>`},
		{"script tag upper", `<SCRIPT SRC=//evil.example/x.js></SCRIPT>`},
		{"script in paragraph", "hello <script>alert(1)</script> world"},
		{"javascript link", `[click](javascript:alert(1))`},
		{"javascript link mixed case", `[click](JaVaScRiPt:alert(1))`},
		{"javascript link entity", `[click](&#106;avascript:alert(1))`},
		{"javascript link encoded colon", `[click](javascript&#58;alert(1))`},
		{"javascript link tab", "[click](java\tscript:alert(1))"},
		{"javascript autolink", `<javascript:alert(1)>`},
		{"vbscript link", `[x](vbscript:msgbox(1))`},
		{"data uri link", `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`},
		{"data uri image", `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`},
		{"img onerror", `<img src=x onerror=alert(1)>`},
		{"img onerror quoted", `<img src="x" onerror="alert(1)">`},
		{"markdown image with attr injection", `![x](x" onerror="alert(1))`},
		{"svg onload", `<svg onload=alert(1)>`},
		{"svg nested script", `<svg><script>alert(1)</script></svg>`},
		{"iframe", `<iframe src="javascript:alert(1)"></iframe>`},
		{"object", `<object data="javascript:alert(1)"></object>`},
		{"html comment trick", `<!--><script>alert(1)</script>-->`},
		{"conditional comment", `<!--[if gte IE 4]><script>alert(1)</script><![endif]-->`},
		{"raw html block", "<div onclick=\"alert(1)\">\n\n*md*\n\n</div>"},
		{"a with onmouseover", `<a href="https://example.com" onmouseover="alert(1)">x</a>`},
		{"style tag", `<style>body{background:url(javascript:alert(1))}</style>`},
		{"body onload", `<body onload=alert(1)>`},
		{"form action", `<form action="javascript:alert(1)"><button>x</button></form>`},
		{"entity-encoded script", `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{"double-encoded script", `&amp;lt;script&amp;gt;alert(1)`},
		{"math href", `<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>`},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
		{"reference link javascript", "[x][1]\n\n[1]: javascript:alert(1)"},
		{"link title breakout", `[x](https://example.com "a\" onmouseover=\"alert(1)")`},
		{"base tag", `<base href="javascript:alert(1)//">`},
		{"null byte script", "<scr\x00ipt>alert(1)</script>"},
		{"table cell html", "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <script>x</script> |"},
	}
	r := New()
	for _, p := range payloads {
		t.Run(p.name, func(t *testing.T) {
			checkSafe(t, string(r.Render(p.src)))
		})
	}
}

func TestRenderMarkdown(t *testing.T) {
	r := New()
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"emphasis", "**bold** and _it_", []string{"<strong>bold</strong>", "<em>it</em>"}},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}},
		{"strikethrough", "~~gone~~", []string{"<del>gone</del>"}},
		{"autolink", "see https://example.com/x now", []string{`href="https://example.com/x"`, `rel="nofollow noopener"`}},
		{"task list", "- [x] done\n- [ ] todo", []string{`type="checkbox"`, "checked", "disabled"}},
		{"escaped text", "a < b & c", []string{"a &lt; b &amp; c"}},
		{"code", "`<b>`", []string{"<code>&lt;b&gt;</code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(r.Render(tt.src))
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("Render(%q) = %q, want it to contain %q", tt.src, out, w)
				}
			}
		})
	}
}

func TestSanitizeHighlight(t *testing.T) {
	r := New()
	tests := []struct {
		in, want string
	}{
		{"plain <mark>roce</mark> text", "plain <mark>roce</mark> text"},
		{"<mark onclick=\"x()\">a</mark>", "<mark>a</mark>"},
		{"<b>bold</b> <mark>m</mark>", "bold <mark>m</mark>"},
		{"<script>alert(1)</script><mark>x</mark>", "<mark>x</mark>"},
		{"a &lt;script&gt; b", "a &lt;script&gt; b"},
		{"<img src=x onerror=alert(1)><mark>y</mark>", "<mark>y</mark>"},
		{"<a href=\"javascript:alert(1)\">link</a>", "link"},
		{"x < y & z", "x &lt; y &amp; z"},
	}
	for _, tt := range tests {
		got := string(r.SanitizeHighlight(tt.in))
		if got != tt.want {
			t.Errorf("SanitizeHighlight(%q) = %q, want %q", tt.in, got, tt.want)
		}
		checkSafe(t, got)
	}
}

func BenchmarkRender(b *testing.B) {
	r := New()
	src := strings.Repeat("## Heading\n\nSome **bold** text with a [link](https://example.com) and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n", 20)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		r.Render(src)
	}
}
