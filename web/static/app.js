// talkdex: progressive enhancement only. Every page works without this file.
(function () {
  "use strict";

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  // "/" jumps to the search box unless the user is typing somewhere.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTyping(document.activeElement)) return;
    var box = document.getElementById("q") || document.getElementById("site-q");
    if (!box) return;
    e.preventDefault();
    box.focus();
    box.select();
  });

  function parseHTML(text) {
    return new DOMParser().parseFromString(text, "text/html");
  }

  // Search as you type: fetch the search page itself and swap in its results.
  function enhanceSearch() {
    var form = document.getElementById("search-form");
    var box = document.getElementById("q");
    var body = document.getElementById("search-body");
    if (!form || !box || !body || !window.fetch || !window.URLSearchParams) return;

    var timer = null;
    var inflight = null;

    function currentURL() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (String(value).trim() !== "") params.append(key, value);
      });
      var qs = params.toString();
      return form.getAttribute("action") + (qs ? "?" + qs : "");
    }

    function refresh() {
      var url = currentURL();
      if (inflight) inflight.abort();
      inflight = window.AbortController ? new AbortController() : null;
      fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin", signal: inflight ? inflight.signal : undefined })
        .then(function (resp) { return resp.text(); })
        .then(function (text) {
          var next = parseHTML(text).getElementById("search-body");
          if (!next) return;
          body.replaceChildren.apply(body, Array.prototype.slice.call(next.childNodes));
          if (window.history && history.replaceState) history.replaceState(null, "", url);
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
        });
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    var sort = document.getElementById("sort");
    if (sort) sort.addEventListener("change", function () { form.submit(); });
  }

  // Star widget: submit the rating form in the background and swap in the
  // updated form from the page the POST redirects to.
  function enhanceRating() {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (!form || form.id !== "rating-form" || !window.fetch) return;
      var submitter = e.submitter;
      if (!submitter) return;
      e.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      if (submitter.name) data.append(submitter.name, submitter.value);
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "text/html" }
      })
        .then(function (resp) {
          return resp.text().then(function (text) { return { ok: resp.ok, text: text }; });
        })
        .then(function (res) {
          var next = parseHTML(res.text).getElementById("rating-form");
          if (next) {
            form.replaceWith(next);
          } else {
            window.location.reload();
          }
        })
        .catch(function () { window.location.reload(); });
    });
  }

  enhanceSearch();
  enhanceRating();
})();
