package e2e

// Scripts the XSS test runs in the page.

// xssTraps runs before any script of every new document (Chromium's
// Page.addScriptToEvaluateOnNewDocument), so that a payload that calls
// alert, confirm or prompt, or that the Content-Security-Policy blocks, is
// recorded however early it runs.
const xssTraps = `(() => {
  const hits = [];
  Object.defineProperty(window, "__xssHits", { value: hits });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { hits.push(name + "(" + args.join(",") + ")"); };
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    hits.push("CSP blocked " + e.effectiveDirective + ": " + (e.sample || e.blockedURI));
  }, true);
})()`

// xssInspect waits until the page has had the chance to run whatever fires
// after load (autofocus handlers, animation frames, zero-delay timers), then
// reports the signs of a payload having run (traces), markup that could run
// script even if nothing has yet (problems), the talk page's heading and
// the number of search results.
//
// Problems are event-handler attributes; script, frame, object, base and
// style elements other than the site's own script; script-bearing URLs
// (javascript:, vbscript:, data:text/html, also split by control characters,
// which browsers strip); inline styles; and <meta http-equiv>. Stored text
// must reach the page as text, so none of these may come from a payload.
const xssInspect = `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))).then(() => {
  const traces = [];
  if (window.__xss !== undefined) traces.push("window.__xss = " + window.__xss);
  if (document.title === "pwned") traces.push("document.title = pwned");
  traces.push(...(window.__xssHits || ["the traps are missing: the page is not the one the test loaded"]));

  const problems = [];
  const urlAttrs = ["href", "src", "action", "formaction", "data", "xlink:href", "background", "poster", "srcset"];
  const dangerous = /^(javascript|vbscript|data:text\/html)/;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) problems.push("<" + tag + "> has " + name);
      if (name === "srcdoc" || name === "style") problems.push("<" + tag + "> has " + name);
      const value = a.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (urlAttrs.includes(name) && dangerous.test(value)) problems.push("<" + tag + " " + name + "=" + a.value + ">");
    }
    if (tag === "script" && !(el.getAttribute("src") || "").startsWith("/static/")) problems.push("inline <script>");
    if (["iframe", "frame", "object", "embed", "base", "style"].includes(tag)) problems.push("<" + tag + "> element");
    if (tag === "meta" && el.hasAttribute("http-equiv")) problems.push("<meta http-equiv>");
  }

  const heading = document.querySelector("h1.talk-title");
  return {
    href: location.href, traces, problems,
    heading: heading ? heading.textContent : "",
    results: document.querySelectorAll(".result").length,
  };
})`
