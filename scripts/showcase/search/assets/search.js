/* 党建品牌展示站 — exact Chinese full-text search over the index written by showcase/search/index.py.
 *
 * A page is a hit when every word of the query occurs in one line of its visible text (or a
 * title field) after folding (NFKC, lower case, no whitespace). 1- to 3-character words are
 * looked up directly; longer words through trigram positions that must line up. A word in
 * Latin letters is also read as pinyin (every way of cutting it into syllables, and as
 * initials) and matched against the branches' names and brands. Only the shards holding the
 * query's n-grams are fetched, then the stored text of the results shown, for snippets.
 * Results come in three groups: 党组织, 动态, 其他页面 (document ids are ranges by kind).
 * Everything untrusted is put into the page with textContent, never as HTML.
 */
(function () {
  "use strict";
  var root = document.getElementById("sc-search");
  if (!root) return;
  var INDEX = root.getAttribute("data-index");
  var SITE = root.getAttribute("data-root");
  var PAGE = 10;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var groups = Array.prototype.map.call(results.querySelectorAll(".sc-search__group"), function (section) {
    return {
      section: section,
      kind: Number(section.getAttribute("data-kind")),
      count: section.querySelector(".sc-search__count"),
      list: section.querySelector(".sc-search__list"),
      more: section.querySelector(".sc-search__more"),
      hits: [],
    };
  });
  var UNITS = ["个党组织", "条动态", "个其他页面"];
  var help = document.getElementById("search-help");
  var selects = {
    region: document.getElementById("search-region"),
    category: document.getElementById("search-category"),
    theme: document.getElementById("search-theme"),
  };

  // --- loading -------------------------------------------------------------------------------

  var files = new Map();
  function inflate(response) {
    if (!response.ok) throw new Error(response.url + ": " + response.status);
    var stream = response.body.pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  function load(path) {
    if (!files.has(path)) {
      var p = fetch(INDEX + path).then(inflate);
      p.catch(function () { files.delete(path); });
      files.set(path, p);
    }
    return files.get(path);
  }
  var metaPromise = null;
  function meta() {
    if (!metaPromise) {
      metaPromise = fetch(INDEX + "meta.json").then(function (r) { return r.json(); }).then(function (m) {
        if (m.format !== 2) throw new Error("search index format " + m.format);
        return load("docs.bin").then(function (bytes) { m.table = decodeTable(bytes, m.docs); return m; });
      });
      metaPromise.catch(function () { metaPromise = null; });
    }
    return metaPromise;
  }

  function Reader(bytes, at) { this.b = bytes; this.i = at || 0; }
  Reader.prototype.next = function () {
    var v = 0, shift = 0, byte;
    do { byte = this.b[this.i++]; v += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
    return v;
  };

  // docs.bin, column by column: title length, region + 1, category + 1, theme count, themes.
  function decodeTable(bytes, n) {
    var r = new Reader(bytes), t = { tlen: new Int32Array(n), region: new Int32Array(n), category: new Int32Array(n), themes: [] };
    var d, counts = new Int32Array(n);
    for (d = 0; d < n; d++) t.tlen[d] = r.next();
    for (d = 0; d < n; d++) t.region[d] = r.next() - 1;
    for (d = 0; d < n; d++) t.category[d] = r.next() - 1;
    for (d = 0; d < n; d++) counts[d] = r.next();
    for (d = 0; d < n; d++) {
      var k = counts[d], th = [];
      while (k-- > 0) th.push(r.next());
      t.themes.push(th);
    }
    return t;
  }
  function kindOf(m, doc) { return doc < m.kinds[0] ? 0 : doc < m.kinds[0] + m.kinds[1] ? 1 : 2; }

  // --- folding and hashing (as in search.py) ------------------------------------------------

  var SPACE = /[\s\x1c-\x1f\x85]+/g;
  function fold(s) { return s.normalize("NFKC").toLowerCase().replace(SPACE, ""); }
  function words(q) {
    var out = [];
    q.split(/\s+/).forEach(function (w) { w = fold(w); if (w && out.indexOf(w) < 0) out.push(w); });
    return out;
  }
  function fnv1a(s) {
    var h = 0x811c9dc5;
    for (var ch of s) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h;
  }

  // --- postings ----------------------------------------------------------------------------

  var shards = new Map();
  var utf8 = new TextDecoder();
  function shard(path) {
    if (!shards.has(path)) {
      shards.set(path, load(path).then(function (bytes) {
        var r = new Reader(bytes), n = r.next(), heads = [];
        for (var i = 0; i < n; i++) {
          var len = r.next(), gram = utf8.decode(bytes.subarray(r.i, r.i + len));
          r.i += len;
          heads.push([gram, r.next(), r.next()]);
        }
        var map = new Map(), at = r.i;
        heads.forEach(function (h) { map.set(h[0], { kind: h[1], bytes: bytes.subarray(at, at + h[2]) }); at += h[2]; });
        return map;
      }));
    }
    return shards.get(path);
  }
  // Document-level postings (s/) or, for trigrams with positions, positional ones (p/).
  function postings(m, gram, positions) {
    var path = positions ? "p/" + (fnv1a(gram) % m.positionShards) : "s/" + (fnv1a(gram) % m.shards);
    return shard(path + ".bin").then(function (map) { return map.get(gram) || null; });
  }
  // doc → {count, title} for 1- to 3-character grams
  function docLevel(p) {
    var out = new Map(), r = new Reader(p.bytes), doc = -1;
    while (r.i < p.bytes.length) { doc += r.next(); var v = r.next(); out.set(doc, { count: Math.floor(v / 2), title: v % 2 === 1 }); }
    return out;
  }
  // doc → positions for trigrams
  function positional(p) {
    var out = new Map(), r = new Reader(p.bytes), doc = -1;
    while (r.i < p.bytes.length) {
      doc += r.next();
      var n = r.next(), pos = new Array(n), at = 0;
      for (var i = 0; i < n; i++) { at = i === 0 ? r.next() : at + r.next(); pos[i] = at; }
      out.set(doc, pos);
    }
    return out;
  }

  // doc → {count, title} for one folded word
  function matchWord(m, word) {
    var chars = Array.from(word), L = chars.length;
    if (L <= 3) return postings(m, word, false).then(function (p) { return p ? docLevel(p) : new Map(); });
    var offsets = [];
    for (var o = 0; o < L - 3; o += 3) offsets.push(o);
    offsets.push(L - 3);
    return Promise.all(offsets.map(function (o) { return postings(m, chars.slice(o, o + 3).join(""), true); })).then(function (ps) {
      var out = new Map();
      if (ps.some(function (p) { return !p; })) return out;
      var lists = ps.map(positional);
      lists[0].forEach(function (first, doc) {
        var others = [];
        for (var k = 1; k < lists.length; k++) { var l = lists[k].get(doc); if (!l) return; others.push(new Set(l)); }
        var count = 0, title = false;
        first.forEach(function (p) {
          for (var k = 1; k < offsets.length; k++) if (!others[k - 1].has(p + offsets[k])) return;
          count++;
          if (p + L <= m.table.tlen[doc]) title = true;
        });
        if (count) out.set(doc, { count: count, title: title });
      });
      return out;
    });
  }

  // --- pinyin (see showcase/search/pinyin.py) -------------------------------------------------

  var MAX_FORMS = 16; // ways of reading one Latin word as pinyin
  var MAX_PARTIAL = 8; // syllables a cut-off last syllable may stand for
  function pinyinTable(m) {
    if (!m.py) {
      m.py = new Map();
      m.pyList = m.pinyin.split(" ");
      m.pyList.forEach(function (s, i) { m.py.set(s, String.fromCodePoint(m.pinyinBase + i)); });
    }
    return m.py;
  }
  // A folded word as toneless pinyin letters (ü → v, tone marks and apostrophes dropped), or null.
  function latin(word) {
    var s = word.normalize("NFD").replace(/u\u0308/g, "v").replace(/[\u0300-\u036f']/g, "");
    return /^[a-z]+$/.test(s) ? s : null;
  }
  // The syllable-code strings a Latin word may spell: every cut into syllables (the last one
  // may be cut off while typing), and the word as initials.
  function pinyinForms(m, s) {
    var table = pinyinTable(m), out = [];
    (function cut(i, acc) {
      if (out.length >= MAX_FORMS) return;
      if (i === s.length) { out.push(acc); return; }
      for (var len = Math.min(6, s.length - i); len >= 1; len--) {
        var code = table.get(s.substr(i, len));
        if (code) cut(i + len, acc + code);
      }
      var rest = s.slice(i);
      if (i > 0 && !table.has(rest)) {
        var partial = m.pyList.filter(function (syl) { return syl.length > rest.length && syl.lastIndexOf(rest, 0) === 0; });
        if (partial.length <= MAX_PARTIAL) partial.forEach(function (syl) { if (out.length < MAX_FORMS) out.push(acc + table.get(syl)); });
      }
    })(0, "");
    if (s.length >= 2 && s.length <= 12) {
      var initials = "";
      for (var k = 0; k < s.length; k++) initials += String.fromCodePoint(m.initialBase + s.charCodeAt(k) - 97);
      out.push(initials);
    }
    return out.filter(function (f, i) { return out.indexOf(f) === i; });
  }

  // doc → {count, title} for one query word: the word itself, or any pinyin reading of it.
  function matchTerm(m, word) {
    var s = latin(word), forms = [word].concat(s ? pinyinForms(m, s) : []);
    return Promise.all(forms.map(function (f) { return matchWord(m, f); })).then(function (maps) {
      if (maps.length === 1) return maps[0];
      var out = new Map();
      maps.forEach(function (map) {
        map.forEach(function (h, doc) {
          var o = out.get(doc);
          if (!o) out.set(doc, { count: h.count, title: h.title });
          else { o.count = Math.max(o.count, h.count); o.title = o.title || h.title; }
        });
      });
      return out;
    });
  }

  function search(m, q) {
    var ws = words(q);
    if (!ws.length) return Promise.resolve(null);
    return Promise.all(ws.map(function (w) { return matchTerm(m, w); })).then(function (maps) {
      var hits = [];
      maps[0].forEach(function (first, doc) {
        var count = first.count, title = first.title;
        for (var k = 1; k < maps.length; k++) {
          var h = maps[k].get(doc);
          if (!h) return;
          count += h.count; title = title || h.title;
        }
        hits.push({ doc: doc, count: count, title: title });
      });
      // By kind (ids are ranges), then name or title matches first, then the number of
      // occurrences, then site order.
      hits.sort(function (a, b) {
        return (kindOf(m, a.doc) - kindOf(m, b.doc)) || (b.title - a.title) || (b.count - a.count) || (a.doc - b.doc);
      });
      return { words: ws, hits: hits };
    });
  }

  // --- filters -----------------------------------------------------------------------------

  function ancestors(m, r) { var out = []; while (r >= 0) { out.push(r); r = m.regions[r][1]; } return out; }
  function depth(m, r) { return ancestors(m, r).length - 1; }

  // Pages (reports, editions, hand-written) have no region, category or theme: any filter hides them.
  function passes(m, doc, f, skip) {
    var t = m.table;
    if (t.region[doc] < 0 && (f.region >= 0 || f.category >= 0 || f.theme >= 0)) return false;
    if (skip !== "region" && f.region >= 0 && ancestors(m, t.region[doc]).indexOf(f.region) < 0) return false;
    if (skip !== "category" && f.category >= 0 && t.category[doc] !== f.category) return false;
    if (skip !== "theme" && f.theme >= 0 && t.themes[doc].indexOf(f.theme) < 0) return false;
    return true;
  }

  function currentFilters(m) {
    return {
      region: m.regionKeys.indexOf(selects.region.value),
      category: m.categories.indexOf(selects.category.value),
      theme: m.themes.indexOf(selects.theme.value),
    };
  }

  function fillSelect(select, names, counts, chosen, indent, all) {
    var keep = select.value;
    while (select.options.length > 1) select.remove(1);
    select.options[0].textContent = all;
    names.forEach(function (name, i) {
      if (!counts[i] && i !== chosen) return;
      var o = document.createElement("option");
      o.value = name.value;
      o.textContent = (indent ? "\u3000".repeat(indent(i)) : "") + name.label + "（" + (counts[i] || 0) + "）";
      select.appendChild(o);
    });
    select.value = keep;
  }

  function updateFilters(m, hits, f) {
    var rc = new Array(m.regions.length).fill(0), cc = new Array(m.categories.length).fill(0), tc = new Array(m.themes.length).fill(0);
    hits.forEach(function (h) {
      var d = h.doc;
      if (kindOf(m, d) !== 0) return; // the counts are of branches
      if (passes(m, d, f, "region")) ancestors(m, m.table.region[d]).forEach(function (r) { rc[r]++; });
      if (passes(m, d, f, "category")) cc[m.table.category[d]]++;
      if (passes(m, d, f, "theme")) m.table.themes[d].forEach(function (t) { tc[t]++; });
    });
    fillSelect(selects.region, m.regions.map(function (r, i) { return { value: m.regionKeys[i], label: r[0] }; }), rc, f.region,
      function (i) { return depth(m, i); }, "全部区域");
    fillSelect(selects.category, m.categories.map(function (c) { return { value: c, label: c }; }), cc, f.category, null, "全部类别");
    fillSelect(selects.theme, m.themes.map(function (t) { return { value: t, label: t }; }), tc, f.theme, null, "全部主题");
  }

  // --- rendering ---------------------------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // Folded text of `s` with, for each UTF-16 unit of it, the index of its source in `s`.
  function foldMap(s) {
    var folded = "", from = [], i = 0;
    for (var ch of s) {
      var f = fold(ch);
      folded += f;
      for (var u = 0; u < f.length; u++) from.push(i);
      i += ch.length;
    }
    from.push(s.length);
    return { text: folded, from: from };
  }

  // A stretch of the first line of the page that contains a query word, with every word
  // marked; the title is shown anyway.
  function snippet(fields, ws, titleFields) {
    // The first line holding a word, preferring a sentence (20 characters or more) to a tag.
    var best = null, short = null;
    for (var k = titleFields; k < fields.length && !best; k++) {
      var fm = foldMap(fields[k]), found = null;
      ws.forEach(function (w) {
        var at = fm.text.indexOf(w);
        if (at >= 0 && (!found || at < found.at)) found = { field: k, at: at, fm: fm };
      });
      if (found && fields[k].length >= 20) best = found;
      else if (found && !short) short = found;
    }
    best = best || short;
    var p = el("p", "sc-search__snippet");
    if (!best) { // a pinyin or title match: the first full sentence of the page
      var lead = fields.slice(titleFields).filter(function (x) { return x.length >= 20; })[0] || fields[titleFields] || "";
      p.textContent = lead.length > 100 ? lead.slice(0, 100) + "…" : lead;
      return p;
    }
    var s = fields[best.field], fm = best.fm;
    var center = fm.from[best.at], start = Math.max(0, center - 30), end = Math.min(s.length, center + 70);
    var marks = [];
    ws.forEach(function (w) {
      var at = fm.text.indexOf(w);
      while (at >= 0) {
        var a = fm.from[at], b = fm.from[at + w.length];
        if (b > start && a < end) marks.push([Math.max(a, start), Math.min(b, end)]);
        at = fm.text.indexOf(w, at + 1);
      }
    });
    marks.sort(function (x, y) { return x[0] - y[0]; });
    var pos = start;
    if (start > 0) p.appendChild(document.createTextNode("…"));
    marks.forEach(function (mk) {
      if (mk[0] < pos) return;
      p.appendChild(document.createTextNode(s.slice(pos, mk[0])));
      p.appendChild(el("mark", null, s.slice(mk[0], mk[1])));
      pos = mk[1];
    });
    p.appendChild(document.createTextNode(s.slice(pos, end).replace(/\n/g, " ")));
    if (end < s.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function docRecord(id) {
    return load("d/" + id + ".bin").then(function (bytes) { return JSON.parse(utf8.decode(bytes)); });
  }

  function renderHit(d, ws) {
    var li = el("li", "sc-search__hit");
    var a = el("a", "sc-search__title", d.n || d.u);
    a.href = SITE + d.u;
    li.appendChild(a);
    var info = el("p", "sc-search__meta");
    if (d.t === 0) info.appendChild(el("span", "sc-search__brand", "党建品牌：" + d.b));
    if (d.t === 1) info.appendChild(el("span", "sc-search__branch", d.b));
    if (d.r) info.appendChild(el("span", "sc-search__region", d.r.split("/").join(" · ")));
    if (info.childNodes.length) li.appendChild(info);
    li.appendChild(snippet(d.f, ws, d.k));
    return li;
  }

  // The next PAGE hits of a group into its list (or into `into`, for the first render).
  function renderHits(g, ws, into) {
    var from = into ? 0 : g.list.children.length, shown = g.hits.slice(from, from + PAGE);
    return Promise.all(shown.map(function (h) { return docRecord(h.doc); })).then(function (records) {
      records.forEach(function (d) { (into || g.list).appendChild(renderHit(d, ws)); });
      return from + shown.length;
    });
  }

  var runId = 0;
  var current = null;

  function run(pushUrl) {
    var q = input.value.trim(), id = ++runId;
    if (pushUrl) updateUrl(q);
    if (!q) { showEmpty(); return Promise.resolve(); }
    results.setAttribute("aria-busy", "true");
    return meta().then(function (m) {
      return search(m, q).then(function (res) {
        if (id !== runId) return;
        var f = currentFilters(m);
        var list = res.hits.filter(function (h) { return passes(m, h.doc, f); });
        updateFilters(m, res.hits, f);
        current = { words: res.words };
        return renderFirst(m, q, list, res.words, res.hits.length, f, id);
      });
    }).catch(function (e) {
      if (id !== runId) return;
      groups.forEach(function (g) { g.section.hidden = true; });
      status.textContent = "搜索暂时无法使用，请刷新页面再试。（" + e.message + "）";
    }).finally(function () { if (id === runId) results.removeAttribute("aria-busy"); });
  }

  function renderFirst(m, q, list, ws, unfiltered, f, id) {
    groups.forEach(function (g) { g.hits = list.filter(function (h) { return kindOf(m, h.doc) === g.kind; }); });
    // Rendered off-page and swapped in at once, so the lists do not flicker while typing.
    var frags = groups.map(function () { return document.createDocumentFragment(); });
    return Promise.all(groups.map(function (g, i) { return renderHits(g, ws, frags[i]); })).then(function (shown) {
      if (id !== runId) return;
      groups.forEach(function (g, i) {
        g.list.replaceChildren(frags[i]);
        g.count.textContent = String(g.hits.length);
        g.section.hidden = g.hits.length === 0;
        g.more.hidden = shown[i] >= g.hits.length;
      });
      var counts = groups.map(function (g) { return g.hits.length; });
      status.setAttribute("data-updates", String(counts[1]));
      status.setAttribute("data-pages", String(counts[2]));
      status.setAttribute("data-total", String(counts[0]));
      status.textContent = "";
      if (list.length) {
        status.append("找到 ");
        var parts = [];
        counts.forEach(function (c, k) { if (c) parts.push(k); });
        parts.forEach(function (k, i) {
          if (i) status.append("、");
          status.append(el("strong", null, String(counts[k])), " " + UNITS[k]);
        });
        help.hidden = true;
        return;
      }
      status.append("没有找到" + (ws.length > 1 ? "同时包含这些词" : "包含“" + q + "”") + "的党组织或页面。");
      help.hidden = false;
      var filtered = f.region >= 0 || f.category >= 0 || f.theme >= 0;
      if (filtered && unfiltered) {
        var clear = el("button", "sc-search__clear", "取消筛选，查看全部 " + unfiltered + " 个结果");
        clear.type = "button";
        clear.addEventListener("click", function () {
          Object.keys(selects).forEach(function (k) { selects[k].value = ""; });
          run(true);
        });
        status.append(" ", clear);
      }
    });
  }

  function showEmpty() {
    groups.forEach(function (g) { g.list.replaceChildren(); g.hits = []; g.section.hidden = true; });
    status.textContent = "";
    status.removeAttribute("data-total");
    status.removeAttribute("data-updates");
    status.removeAttribute("data-pages");
    help.hidden = false;
  }

  function updateUrl(q) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    Object.keys(selects).forEach(function (k) { if (selects[k].value) params.set(k, selects[k].value); });
    var s = params.toString();
    history.replaceState(null, "", s ? "?" + s : location.pathname);
  }

  var timer = 0;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run(true); }, 80); });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(true); });
  Object.keys(selects).forEach(function (k) { selects[k].addEventListener("change", function () { run(true); }); });
  groups.forEach(function (g) {
    g.more.addEventListener("click", function () {
      if (!current) return;
      renderHits(g, current.words, null).then(function (shown) { g.more.hidden = shown >= g.hits.length; });
    });
  });

  // For tools and tests: the ranked ids of a query's hits. `query` gives the branches (ids
  // are positions in slug order), `queryAll` every kind as [kind, id].
  window.showcaseSearch = {
    query: function (q) {
      return meta().then(function (m) {
        return search(m, q).then(function (r) {
          return r ? r.hits.filter(function (h) { return kindOf(m, h.doc) === 0; }).map(function (h) { return h.doc; }) : [];
        });
      });
    },
    queryAll: function (q) {
      return meta().then(function (m) {
        return search(m, q).then(function (r) { return r ? r.hits.map(function (h) { return [kindOf(m, h.doc), h.doc]; }) : []; });
      });
    },
  };

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  Object.keys(selects).forEach(function (k) {
    var v = params.get(k);
    if (v) { var o = document.createElement("option"); o.value = v; o.textContent = v; selects[k].appendChild(o); selects[k].value = v; }
  });
  if (input.value) run(false); else showEmpty();
})();
