// Site search with Pagefind's JavaScript API: results as you type, filters by type, tag and state (events, calls, jobs).
// Without JavaScript the page shows .no-js-message and links to browse instead.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector("[data-search-form]");
  var input = form && form.querySelector("input[name=q]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  if (!script || !form || !input || !status || !list) return;

  var bundle = script.getAttribute("data-bundle") || "/pagefind/";
  var baseUrl = bundle.replace(/pagefind\/$/, "") || "/";
  var lang = script.getAttribute("data-lang") || document.documentElement.lang;
  var types = document.querySelector("[data-search-types]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("[data-search-select]"));
  var noJs = document.querySelector("[data-no-js]");
  var PAGE = 20;

  if (noJs) noJs.hidden = true;
  if (types) types.hidden = false;

  function msg(name, values) {
    var text = status.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  // The plural form of the language's rule (Intl: the same CLDR rules as the build), "other" when the page gives no text for it.
  function pluralForm(count) {
    var form = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang).select(count) : count === 1 ? "one" : "other";
    return status.hasAttribute("data-msg-count-" + form) ? form : "other";
  }

  // The index comes in shards: the root one beside pagefind.js, and the shards of this language listed in
  // shards.json, merged into it (Pagefind's mergeIndex), so that a search covers them all.
  function shardsOfLanguage() {
    return fetch(bundle + "shards.json").then(function (response) {
      if (!response.ok) throw new Error("shards.json: " + response.status);
      return response.json();
    }).then(function (manifest) { return (manifest.shards && manifest.shards[lang]) || []; });
  }

  var engine = null;
  function pagefind() {
    if (!engine) {
      engine = Promise.all([import(bundle + "pagefind.js"), shardsOfLanguage()]).then(function (loaded) {
        var pf = loaded[0];
        return pf.options({ baseUrl: baseUrl })
          .then(function () {
            return Promise.all(loaded[1].map(function (shard) { return pf.mergeIndex(bundle + shard, { baseUrl: baseUrl }); }));
          })
          .then(function () { return pf; });
      });
    }
    return engine;
  }

  // The selects' values, loaded once; the form says when they are in (data-search-filters="ready").
  var filling = null;
  function filled(pf) {
    if (!filling) {
      filling = Promise.resolve(fillSelects(pf)).catch(function () {}).then(function () {
        form.setAttribute("data-search-filters", "ready");
      });
    }
    return filling;
  }

  // The select filters (tag, state): each lists the values the index has, and shows only when there are some.
  function fillSelects(pf) {
    if (!selects.length) return;
    return pf.filters().then(function (available) {
      var wanted = new URLSearchParams(location.search);
      selects.forEach(function (select) {
        var name = select.getAttribute("data-search-select");
        var row = form.querySelector('[data-search-select-row="' + name + '"]');
        var values = Object.keys((available && available[name]) || {});
        if (!values.length || !row) return;
        values.sort(function (a, b) { return a.localeCompare(b, lang); }).forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          select.appendChild(option);
        });
        if (values.indexOf(wanted.get(name)) >= 0) select.value = wanted.get(name);
        row.hidden = false;
      });
    });
  }

  // The chosen value of each select filter, by its name (none when "any").
  function chosen() {
    var found = {};
    selects.forEach(function (select) {
      if (select.value) found[select.getAttribute("data-search-select")] = select.value;
    });
    return found;
  }

  function selectedType() {
    var checked = form.querySelector("input[name=type]:checked");
    return checked ? checked.value : "";
  }

  // Pagefind's excerpts are HTML with <mark> around the matches: keep the text and the marks only.
  function excerptNodes(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var out = document.createDocumentFragment();
    parsed.body.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "result";
    var heading = document.createElement("h2");
    heading.className = "result-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var type = (data.meta && data.meta.type) || ((data.filters && data.filters.type) || [])[0];
    if (type) {
      var label = document.createElement("p");
      label.className = "result-type";
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = type;
      label.appendChild(badge);
      item.appendChild(label);
    }
    if (data.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "result-excerpt";
      excerpt.appendChild(excerptNodes(data.excerpt));
      item.appendChild(excerpt);
    }
    return item;
  }

  var current = 0;
  var pending = [];
  var more = null;

  // The next page of results, each shown as soon as it and those before it have arrived (all are asked for at
  // once): on a slow network the first ones appear without waiting for the last.
  function showMore(run) {
    var batch = pending.splice(0, PAGE);
    var first = null;
    var shown = batch.reduce(function (before, r) {
      var data = r.data();
      return before.then(function () { return data; }).then(function (found) {
        if (run !== current) return;
        var item = resultItem(found);
        if (!first) first = item;
        list.appendChild(item);
      });
    }, Promise.resolve());
    return shown.then(function () {
      if (run !== current) return;
      if (more) more.hidden = pending.length === 0;
      return first;
    });
  }

  function moreButton() {
    if (more) return more;
    more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.hidden = true;
    more.textContent = list.getAttribute("data-msg-more") || "+";
    list.parentNode.insertBefore(more, list.nextSibling);
    more.addEventListener("click", function () {
      showMore(current).then(function (first) {
        var link = first && first.querySelector("a");
        if (link) link.focus();
      });
    });
    return more;
  }

  function keepInUrl(query, type, picked) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (type) params.set("type", type);
    Object.keys(picked).forEach(function (name) { params.set(name, picked[name]); });
    var search = params.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function search() {
    var query = input.value.trim();
    var type = selectedType();
    var picked = chosen();
    var run = ++current;
    keepInUrl(query, type, picked);
    if (!query) {
      pending = [];
      list.replaceChildren();
      if (more) more.hidden = true;
      status.textContent = "";
      return;
    }
    list.setAttribute("aria-busy", "true");
    var filters = Object.assign({}, picked);
    if (type) filters.type = type;
    return pagefind()
      .then(function (pf) { return pf.search(query, { filters: filters }); })
      .then(function (response) {
        if (run !== current || !response) return;
        var count = response.results.length;
        pending = response.results.slice();
        list.replaceChildren();
        moreButton();
        return showMore(run).then(function () {
          if (run !== current) return;
          var name = count === 0 ? "none" : "count-" + pluralForm(count);
          status.textContent = msg(name, { count: count.toLocaleString(lang), query: query });
        });
      })
      .catch(function () {
        if (run === current) status.textContent = msg("error");
      })
      .then(function () {
        if (run === current) list.removeAttribute("aria-busy");
      });
  }

  var timer = 0;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  input.addEventListener("input", soon);
  form.addEventListener("change", function (event) {
    if (event.target !== input) { clearTimeout(timer); search(); }
  });

  // Start from the address: the header search box submits here with ?q=.
  var params = new URLSearchParams(location.search);
  var type = params.get("type");
  if (type) {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=type]"), function (radio) {
      if (radio.value === type) radio.checked = true;
    });
  }
  if (params.get("q")) input.value = params.get("q");
  // Load the index at once, then search what the address asked for.
  // The selects' values load after the first results (on a slow network their files would delay them), or
  // before the first search when the address names one.
  var named = selects.some(function (select) { return params.has(select.getAttribute("data-search-select")); });
  pagefind().then(function (pf) {
    if (named) return filled(pf).then(function () { if (input.value.trim()) return search(); });
    return Promise.resolve(input.value.trim() ? search() : null).then(function () { return filled(pf); });
  }, function () {
    if (params.get("q")) status.textContent = msg("error");
  });
})();
