/* The site's search box (partials/search.html), driven by Pagefind's indexes in pagefind/ (the site's and each story's).
 *
 * Nothing loads until the reader opens search: then Pagefind's script and the index fragments the typed words
 * need, all from the site itself. Words in quotes match as a phrase (curly quotes, as phones type them, too).
 * A result is a page, with its records (claims, calls, issues) as results of their own that land on the record;
 * each shows the line that says what it is: kind, claimant, status, desk review, date, story. Texts from the
 * index are put on the page as text, never as HTML: only Pagefind's <mark> around the matched words is kept.
 * Keys: "/", "s" or "f" open it, Escape closes it, the arrows move through the results, Enter follows one. */
(function () {
  "use strict";
  var dialog = document.querySelector(".site-search");
  var toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  var form = dialog.querySelector("form");
  var input = dialog.querySelector("input[name=query]");
  var status = document.getElementById("site-search-status");
  var list = document.getElementById("site-search-results");
  var hint = dialog.querySelector(".site-search-hint");
  var placeholder = status.textContent;
  var SHOWN = 10;
  var RECORDS_PER_PAGE = 4;
  var KINDS = {
    briefings: "Briefing", sources: "Source", actors: "Actor", issues: "Open issue",
    stories: "Story", glossary: "Glossary", pages: "Page", tags: "Tag"
  };
  var site = new URL(dialog.getAttribute("data-site") || ".", location.href).pathname;
  var engine = null;
  var asked = 0;

  /* The site's index (pagefind/main/) and the stories' (pagefind/bundles.json lists them): the main one
     loaded while the list is fetched, the others merged into it, so one query searches them all. */
  function load() {
    if (engine === null) {
      var folder = new URL(dialog.getAttribute("data-index"), location.href).href;
      var options = { baseUrl: site, excerptLength: 24 };
      var bundles = fetch(folder + "bundles.json", { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error("no search index");
        return response.json();
      });
      engine = Promise.all([import(folder + "main/pagefind.js"), bundles]).then(function (both) {
        var pagefind = both[0];
        return Promise.resolve(pagefind.options(options)).then(function () {
          pagefind.init();
          return Promise.all((both[1].merge || []).map(function (bundle) {
            return pagefind.mergeIndex(folder + bundle, options);
          }));
        }).then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function typed() {
    return input.value.replace(/[\u201c\u201d\u201e\u201f\u00ab\u00bb]/g, '"').trim();
  }

  /* Pagefind's excerpt: text with <mark> around the matched words. Parsed in an inert document, and only its
     text and its marks are copied out. */
  function excerpt(html) {
    var p = document.createElement("p");
    var doc = new DOMParser().parseFromString("<body>" + html, "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        p.appendChild(m);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function anchorText(data, id) {
    var anchors = data.anchors || [];
    for (var i = 0; i < anchors.length; i++) {
      if (anchors[i].id === id) return anchors[i].text || "";
    }
    return "";
  }

  /* A record's line, shortened for a result: the long reason of an inferred date becomes "(date inferred)" (the
     date stays marked as inferred), and an issue's link to its history goes. */
  function shortLine(text) {
    return text.replace(/\s*\(date inferred:[^)]*\)/g, " (date inferred)").replace(/\s*·\s*Issue history.*$/, "")
      .replace(/\s+/g, " ").trim();
  }

  /* Records of a page that hold a quoted phrase. Pagefind's exact search gives only the phrase's first place
     on a page; the page's words (its fragment's content, whose word numbers its anchors use) give them all. */
  function norm(word) {
    return word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }

  function phraseRecords(data, phrase) {
    var want = phrase.split(/\s+/).map(norm).filter(Boolean);
    var words = (data.content || "").split(/\s+/);
    var heads = (data.anchors || []).filter(function (a) { return /^h[1-6]$/i.test(a.element); });
    var found = [];
    var seen = {};
    if (!want.length) return found;
    for (var i = 0; i + want.length <= words.length && found.length < RECORDS_PER_PAGE; i++) {
      var k = 0;
      while (k < want.length && norm(words[i + k]) === want[k]) k++;
      if (k < want.length) continue;
      var head = null;
      heads.forEach(function (a) { if (a.location <= i) head = a; });
      if (!head || !/^(claim|call|issue)-/.test(head.id) || seen[head.id]) continue;
      seen[head.id] = true;
      var before = words.slice(Math.max(head.location, i - 10), i).join(" ");
      var after = words.slice(i + want.length, i + want.length + 12).join(" ");
      var p = document.createElement("p");
      p.appendChild(document.createTextNode(before + " "));
      var m = document.createElement("mark");
      m.textContent = words.slice(i, i + want.length).join(" ");
      p.appendChild(m);
      p.appendChild(document.createTextNode(" " + after));
      found.push({ url: data.url.split("#")[0] + "#" + head.id, title: head.text, anchor: head, node: p });
    }
    return found;
  }

  function kindOf(url) {
    var path = new URL(url, location.href).pathname;
    var first = path.slice(site.length).split("/")[0];
    return KINDS[first] || "Page";
  }

  function entry(url, title, line, text, level) {
    var a = document.createElement("a");
    a.href = url;
    a.className = "md-search-result__link site-search-link";
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (level === 1) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var h = document.createElement(level === 1 ? "h1" : "h2");
    h.textContent = title;
    article.appendChild(h);
    if (line) {
      var meta = document.createElement("p");
      meta.className = "site-search-meta";
      meta.textContent = line;
      article.appendChild(meta);
    }
    if (text) article.appendChild(typeof text === "string" ? excerpt(text) : text);
    a.appendChild(article);
    return a;
  }

  /* Records ranked by the typed words their title holds (counted twice) and their line holds: "91 drones" puts
     the claim titled so before a denial whose line names it; "disputed" puts the claims the sources dispute
     before a call that mentions "territorial disputes". Otherwise Pagefind's order stands. */
  function hits(text, words) {
    var padded = " " + text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ") + " ";
    return words.filter(function (w) { return padded.indexOf(" " + w + " ") >= 0; }).length;
  }

  function byLine(data, subs, words) {
    var score = function (sub) {
      return 2 * hits(sub.title || "", words) + hits(anchorText(data, sub.anchor.id + ".line"), words);
    };
    return subs.map(function (sub, i) { return [score(sub), i, sub]; })
      .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; })
      .map(function (x) { return x[2]; });
  }

  function show(total, pages, phrase, words) {
    list.textContent = "";
    hint.hidden = true;
    status.textContent = total === 0 ? "No matching pages"
      : total === 1 ? "1 matching page"
      : total + " matching pages" + (total > pages.length ? ", the first " + pages.length + " shown" : "");
    pages.forEach(function (data) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var pageLine = shortLine(anchorText(data, "page-line"));
      li.appendChild(entry(data.url, (data.meta && data.meta.title) || data.url,
        kindOf(data.url) + (pageLine ? " · " + pageLine : ""), data.excerpt, 1));
      var records = phrase ? phraseRecords(data, phrase) : byLine(data, (data.sub_results || []).filter(function (sub) {
        return sub.anchor && /^(claim|call|issue)-/.test(sub.anchor.id);
      }), words).slice(0, RECORDS_PER_PAGE);
      records.forEach(function (sub) {
        li.appendChild(entry(sub.url, sub.title, shortLine(anchorText(data, sub.anchor.id + ".line")),
          sub.node || sub.excerpt, 2));
      });
      list.appendChild(li);
    });
  }

  function search() {
    var query = typed();
    var mine = ++asked;
    if (!query) {
      list.textContent = "";
      hint.hidden = false;
      status.textContent = placeholder;
      return;
    }
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(query, {}, 120);
    }).then(function (found) {
      if (found === null || mine !== asked) return null;
      var top = found.results.slice(0, SHOWN);
      return Promise.all(top.map(function (r) { return r.data(); })).then(function (pages) {
        var quoted = /^\s*"(.+)"\s*$/.exec(query);
        var words = query.split(/\s+/).map(norm).filter(Boolean);
        if (mine === asked) show(found.results.length, pages, quoted ? quoted[1] : "", words);
      });
    }).catch(function () {
      if (mine !== asked) return;
      list.textContent = "";
      status.textContent = location.protocol === "file:"
        ? "Search needs the site served over the web; the offline copy (briefing build --offline) searches from the disk"
        : "Search could not load; try again";
    });
  }

  function open() {
    if (!toggle.checked) toggle.click();
    input.focus();
  }

  function close() {
    if (toggle.checked) toggle.click();
    input.blur();
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a.site-search-link"));
  }

  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load();
      setTimeout(function () { input.focus(); }, 50);  /* after the dialog's transition has begun */
    }
  });
  input.addEventListener("focus", function () {
    if (!toggle.checked) toggle.click();
    load();
  });
  input.addEventListener("input", search);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var first = links()[0];
    if (first) location.href = first.href;
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { search(); input.focus(); }, 0);
  });
  list.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("a")) close();
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var active = document.activeElement;
    var typing = active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
    if (!toggle.checked) {
      if (!typing && (ev.key === "/" || ev.key === "s" || ev.key === "f")) {
        ev.preventDefault();
        open();
      }
      return;
    }
    var all = links();
    var at = all.indexOf(active);
    if (ev.key === "Escape") {
      ev.preventDefault();
      close();
    } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!all.length) return;
      ev.preventDefault();
      var next = ev.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : at - 1;
      if (next < 0) input.focus(); else all[next].focus();
    }
  });
})();
