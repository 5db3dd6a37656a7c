package e2e

import "fmt"

// xssPayload is markup that runs script if the page ever treats a stored
// string as HTML. Every payload that executes leaves a trace the test reads
// after the page has loaded: window.__xss set to its number, a call to
// alert/confirm/prompt, or the document title "pwned".
type xssPayload struct {
	name string
	text string
}

// xssPayloads covers the classic ways out of an HTML text node, an
// attribute, a <title>, a <textarea>, Markdown and a sanitiser.
func xssPayloads() []xssPayload {
	p := []xssPayload{
		{"script tag", `<script>window.__xss=%d</script>`},
		{"img onerror", `<img src=x onerror="window.__xss=%d">`},
		{"svg onload", `<svg onload="window.__xss=%d"></svg>`},
		{"javascript link", `<a href="javascript:window.__xss=%d">click me</a>`},
		{"attribute breakout", `"><script>window.__xss=%d</script>`},
		{"single-quote breakout", `' autofocus onfocus='window.__xss=%d' x='`},
		{"iframe srcdoc", `<iframe srcdoc="<script>parent.__xss=%d</script>"></iframe>`},
		{"style expression", `<div style="width:expression(window.__xss=%d);background:url(javascript:alert(1))">styled</div>`},
		{"template injection", `{{.}}{{template "layout" .}}${window.__xss=%d}{{constructor.constructor('alert(1)')()}}`},
		{"markdown javascript link", `[x](javascript:window.__xss=%d)`},
		{"markdown data link", `[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) <a href="data:text/html,<script>window.__xss=%d</script>">d</a>`},
		{"body onload", `<body onload="window.__xss=%d">`},
		{"details ontoggle", `<details open ontoggle="window.__xss=%d"><summary>s</summary></details>`},
		{"input autofocus", `<input autofocus onfocus="window.__xss=%d">`},
		{"mutation XSS", `<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=%d">`},
		{"object data", `<object data="javascript:window.__xss=%d"></object><embed src="javascript:alert(1)">`},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:window.__xss=%d">`},
		{"textarea breakout", `</textarea><script>window.__xss=%d</script><textarea>`},
		{"title breakout", `</title><script>document.title="pwned";window.__xss=%d</script>`},
		{"encoded javascript scheme", `<a href="jav&#x09;ascript:window.__xss=%d">tab</a> [md](jav&#x09;ascript:alert(1))`},
		{"markdown image breakout", `![img](x" onerror="window.__xss=%d) ![i](javascript:alert(1))`},
		{"form action", `<form action="javascript:window.__xss=%d"><button formaction="javascript:alert(1)">go</button></form>`},
		{"noscript breakout", `<noscript><p title="</noscript><img src=x onerror=window.__xss=%d>">`},
		{"base href", `<base href="javascript:/"><a href="/x">rel</a> <script>alert(%d)</script>`},
	}
	for i := range p {
		p[i].text = fmt.Sprintf(p[i].text, i+1)
	}
	return p
}
