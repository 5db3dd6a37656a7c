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

  // Completions as you type, from /api/v1/suggest, offered through the
  // input's <datalist>: titles, speakers, series and events.
  function enhanceSuggest(box) {
    var list = document.getElementById(box.getAttribute("data-suggest"));
    if (!list || !window.fetch || !window.URLSearchParams) return;
    var timer = null;
    var inflight = null;
    var labels = { title: "talk", speaker: "speaker", series: "series", event: "event" };
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = box.value.trim();
        if (q.length < 2) { list.replaceChildren(); return; }
        if (inflight) inflight.abort();
        inflight = window.AbortController ? new AbortController() : null;
        fetch("/api/v1/suggest?" + new URLSearchParams({ q: q, limit: "8" }).toString(),
          { headers: { "Accept": "application/json" }, credentials: "same-origin", signal: inflight ? inflight.signal : undefined })
          .then(function (resp) { return resp.ok ? resp.json() : { suggestions: [] }; })
          .then(function (data) {
            var options = (data.suggestions || []).map(function (s) {
              var opt = document.createElement("option");
              opt.value = s.text;
              opt.label = labels[s.kind] || s.kind;
              return opt;
            });
            list.replaceChildren.apply(list, options);
          })
          .catch(function () {});
      }, 80);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), enhanceSuggest);

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

  // ---- Personal layer: rating, watch list, tags, note preview. ----
  // Each form works on its own; when the JSON API answers, the page is
  // updated in place, and when anything unexpected happens the form is
  // submitted the ordinary way.

  var canFetch = !!(window.fetch && window.JSON && window.FormData);
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // api sends a JSON request; it resolves with the decoded body or rejects
  // with an Error whose .message is the API's message when there is one.
  function api(method, url, body) {
    var opts = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (data) {
        if (resp.ok && data) return data;
        var err = new Error((data && data.error && data.error.message) || "request failed");
        err.invalid = resp.status === 400 && !!(data && data.error);
        throw err;
      });
    });
  }

  function talkAPI(form, rest) {
    var id = form.getAttribute("data-talk-id");
    if (!id || !/^[0-9]+$/.test(id)) return null;
    return "/api/v1/talks/" + id + rest;
  }

  // submitNormally posts the form as if no script were here, keeping the
  // button that was pressed.
  function submitNormally(form, submitter) {
    if (submitter && submitter.name) {
      var extra = document.createElement("input");
      extra.type = "hidden";
      extra.name = submitter.name;
      extra.value = submitter.value;
      form.appendChild(extra);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function showError(form, message) {
    var el = form.querySelector("[data-form-error]");
    if (!el) return false;
    el.textContent = message || "";
    el.hidden = !message;
    return true;
  }

  // fail reports a validation message next to the form, or falls back to
  // the ordinary submission for anything else (network, server errors).
  function failWith(form, submitter) {
    return function (err) {
      if (err && err.invalid && showError(form, err.message)) return;
      submitNormally(form, submitter);
    };
  }

  function formatDate(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) return "";
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  function updateRating(form, rating) {
    Array.prototype.forEach.call(form.querySelectorAll("button[name=stars]"), function (b) {
      var n = parseInt(b.value, 10);
      b.classList.toggle("on", n <= rating);
      b.setAttribute("aria-pressed", n === rating ? "true" : "false");
    });
    var text = form.querySelector("[data-rating-text]");
    if (text) text.textContent = rating ? rating + " of 5" : "not rated";
    var clear = form.querySelector("[data-rating-clear]");
    if (clear) clear.hidden = !rating;
  }

  function watchText(talk) {
    if (talk.watch === "to_watch") {
      return talk.to_watch_at ? "On your list since " + formatDate(talk.to_watch_at) : "On your list";
    }
    if (talk.watch === "watched") {
      return talk.watched_at ? "Watched on " + formatDate(talk.watched_at) : "Watched";
    }
    return "Not on your list";
  }

  function updateWatch(form, talk) {
    var state = talk.watch || "";
    Array.prototype.forEach.call(form.querySelectorAll("button[name=status]"), function (b) {
      if (b.value === "none") {
        b.hidden = !state;
      } else {
        b.setAttribute("aria-pressed", b.value === state ? "true" : "false");
      }
    });
    var text = form.querySelector("[data-watch-text]");
    if (text) text.textContent = watchText(talk);
  }

  // renderTags rebuilds the chips of the talk page from the API's record,
  // with the same remove forms the server renders.
  function renderTags(talk) {
    var list = document.getElementById("my-tags");
    var addForm = document.getElementById("tags-form");
    if (!list || !addForm) return;
    var token = addForm.querySelector("input[name=_csrf]");
    var tags = talk.my_tags || [];
    list.replaceChildren();
    tags.forEach(function (tag) {
      var li = document.createElement("li");
      li.className = "my-tag";
      var a = document.createElement("a");
      a.className = "my-tag-link";
      a.href = "/?my_tag=" + encodeURIComponent(tag);
      a.textContent = tag;
      var f = document.createElement("form");
      f.className = "tag-remove-form";
      f.method = "post";
      f.action = "/talks/" + talk.id + "/tags/remove";
      f.setAttribute("data-tag-remove", "");
      f.setAttribute("data-talk-id", String(talk.id));
      [["_csrf", token ? token.value : ""], ["tag", tag]].forEach(function (kv) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = kv[0];
        input.value = kv[1];
        f.appendChild(input);
      });
      var b = document.createElement("button");
      b.type = "submit";
      b.className = "tag-remove";
      b.textContent = "×";
      b.setAttribute("aria-label", "Remove tag " + tag);
      b.title = "Remove tag " + tag;
      f.appendChild(b);
      li.appendChild(a);
      li.appendChild(f);
      list.appendChild(li);
    });
    var empty = document.querySelector("[data-tags-empty]");
    if (empty) empty.hidden = tags.length > 0;
  }

  function onRating(form, submitter, e) {
    var url = talkAPI(form, "/rating");
    if (!url || !submitter) return;
    var req;
    if (submitter.name === "clear") {
      req = api("DELETE", url);
    } else if (submitter.name === "stars") {
      req = api("PUT", url, { stars: parseInt(submitter.value, 10) });
    } else {
      return;
    }
    e.preventDefault();
    req.then(function (talk) {
      showError(form, "");
      updateRating(form, talk.rating || 0);
    }).catch(failWith(form, submitter));
  }

  function onWatch(form, submitter, e) {
    var url = talkAPI(form, "/watch");
    if (!url || !submitter || submitter.name !== "status") return;
    e.preventDefault();
    api("PUT", url, { status: submitter.value }).then(function (talk) {
      showError(form, "");
      updateWatch(form, talk);
    }).catch(failWith(form, submitter));
  }

  function onAddTags(form, submitter, e) {
    var url = talkAPI(form, "/tags");
    var input = document.getElementById("tag-input");
    if (!url || !input) return;
    var tags = input.value.split(",").map(function (t) { return t.trim(); }).filter(function (t) { return t !== ""; });
    if (tags.length === 0) return; // the server explains what is missing
    e.preventDefault();
    api("POST", url, { tags: tags }).then(function (talk) {
      showError(form, "");
      input.value = "";
      renderTags(talk);
    }).catch(failWith(form, submitter));
  }

  function onRemoveTag(form, submitter, e) {
    var tagInput = form.querySelector("input[name=tag]");
    if (!tagInput) return;
    var url = talkAPI(form, "/tags/" + encodeURIComponent(tagInput.value));
    if (!url) return;
    e.preventDefault();
    api("DELETE", url).then(renderTags).catch(function () { submitNormally(form, submitter); });
  }

  function onNote(form, submitter, e) {
    if (!submitter || submitter.id !== "note-preview-button") return; // saving stays a normal post
    var text = document.getElementById("note-text");
    var pane = document.getElementById("note-preview");
    var body = document.getElementById("note-preview-body");
    if (!text || !pane || !body) return;
    e.preventDefault();
    api("POST", "/api/v1/markdown", { text: text.value }).then(function (data) {
      showError(form, "");
      // The server renders with goldmark and sanitises with bluemonday:
      // the same HTML the page shows once the note is saved.
      body.innerHTML = typeof data.html === "string" ? data.html : "";
      pane.hidden = false;
    }).catch(failWith(form, submitter));
  }

  function enhancePersonal() {
    if (!canFetch) return;
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (!form || form.tagName !== "FORM" || e.defaultPrevented) return;
      var submitter = e.submitter || null;
      if (form.hasAttribute("data-rating")) return onRating(form, submitter, e);
      if (form.hasAttribute("data-watch")) return onWatch(form, submitter, e);
      if (form.hasAttribute("data-tag-remove")) return onRemoveTag(form, submitter, e);
      if (form.id === "tags-form") return onAddTags(form, submitter, e);
      if (form.id === "note-form") return onNote(form, submitter, e);
    });
  }

  enhanceSearch();
  enhancePersonal();
})();
