/* 品牌墙: filter the brand wall by category and theme and sort it by name or date, in place.
 *
 * Progressive enhancement: the page (templates/brands.html) is the complete wall grouped by
 * region; every card says what this script needs in data-* attributes (data-name,
 * data-category, data-themes as a JSON list, data-updated as 2024, 2024-10 or 2024-10-25).
 * The controls are plain <select>s shown only where scripts run (html.sc-js, set by elder.js in
 * <head>). The choice lives in the address (?category=社区&theme=志愿服务&sort=updated), so a
 * shared or reloaded link shows the same selection; replaceState, not pushState: a change of
 * filter is not a page the Back button should step through.
 * Loaded as a classic script at the end of <body>, so the wall is sorted before the first paint.
 * ES5 on purpose: old Android WebViews (WeChat) still read this site.
 */
(function () {
  "use strict";
  var wall = document.querySelector("[data-sc-wall]");
  if (!wall) return;
  var FILTERS = ["category", "theme"];
  var SORTS = ["name", "updated"]; // the first is the default, left out of the address
  var select = {};
  var names = FILTERS.concat(["sort"]);
  for (var n = 0; n < names.length; n++) {
    select[names[n]] = wall.querySelector("select[name=" + names[n] + "]");
    if (!select[names[n]]) return;
  }

  // Pinyin order (ICU's default collation for zh); quotation marks around a brand do not count.
  var collator = window.Intl && Intl.Collator ? new Intl.Collator("zh-CN", { ignorePunctuation: true }) : null;
  function compareNames(a, b) {
    return collator ? collator.compare(a, b) : a.localeCompare(b, "zh-CN");
  }

  // Every list of cards with its cards read once: sorting moves the nodes, not the markup.
  var lists = [];
  var uls = wall.querySelectorAll("ul");
  for (var u = 0; u < uls.length; u++) {
    var items = [];
    var lis = uls[u].children;
    for (var i = 0; i < lis.length; i++) {
      var li = lis[i];
      if (!li.hasAttribute("data-name")) continue;
      var themes;
      try {
        themes = JSON.parse(li.getAttribute("data-themes") || "[]");
      } catch (e) {
        themes = [];
      }
      items.push({
        el: li,
        name: li.getAttribute("data-name") || "",
        category: li.getAttribute("data-category") || "",
        themes: themes,
        updated: li.getAttribute("data-updated") || "",
        order: items.length // the page's own order breaks ties
      });
    }
    if (items.length) lists.push({ ul: uls[u], items: items });
  }

  function has(list, value) {
    for (var k = 0; k < list.length; k++) if (list[k] === value) return true;
    return false;
  }

  function optionValues(el) {
    var out = [];
    for (var k = 0; k < el.options.length; k++) out.push(el.options[k].value);
    return out;
  }

  function current() {
    return { category: select.category.value, theme: select.theme.value, sort: select.sort.value };
  }

  function matches(item, state) {
    if (state.category && item.category !== state.category) return false;
    if (state.theme && !has(item.themes, state.theme)) return false;
    return true;
  }

  function comparator(sort) {
    return function (a, b) {
      if (sort === "updated" && a.updated !== b.updated) return a.updated < b.updated ? 1 : -1;
      return compareNames(a.name, b.name) || a.order - b.order;
    };
  }

  function sortAndFilter(state) {
    var visible = 0;
    var order = comparator(state.sort);
    for (var l = 0; l < lists.length; l++) {
      var sorted = lists[l].items.slice().sort(order);
      for (var k = 0; k < sorted.length; k++) {
        var show = matches(sorted[k], state);
        sorted[k].el.hidden = !show;
        if (show) visible++;
        lists[l].ul.appendChild(sorted[k].el); // in sorted order; a no-op move costs nothing visible
      }
    }
    return visible;
  }

  // Each heading's count (市 and 旗县区) says how many of its cards are shown; an empty group hides.
  function updateGroups() {
    var groups = wall.querySelectorAll("[data-sc-wall-group]");
    for (var g = groups.length - 1; g >= 0; g--) {
      var shown = groups[g].querySelectorAll("li[data-name]:not([hidden])").length;
      groups[g].hidden = shown === 0;
      var counter = groups[g].querySelector("[data-sc-wall-n]");
      if (counter) counter.textContent = String(shown);
    }
  }

  function filtered(state) {
    return Boolean(state.category || state.theme);
  }

  function apply() {
    var state = current();
    var visible = sortAndFilter(state);
    updateGroups();
    var total = wall.querySelector("[data-sc-wall-total]");
    if (total) total.textContent = String(visible);
    var empty = wall.querySelector("[data-sc-wall-empty]");
    if (empty) empty.hidden = visible > 0;
    var reset = wall.querySelector(".sc-wall__reset");
    if (reset) reset.hidden = !filtered(state) && state.sort === SORTS[0];
    return state;
  }

  function query(state) {
    var parts = [];
    for (var k = 0; k < FILTERS.length; k++) {
      var key = FILTERS[k];
      if (state[key]) parts.push(key + "=" + encodeURIComponent(state[key]));
    }
    if (state.sort !== SORTS[0]) parts.push("sort=" + encodeURIComponent(state.sort));
    return parts.length ? "?" + parts.join("&") : "";
  }

  function remember(state) {
    if (!window.history || !history.replaceState) return;
    try {
      history.replaceState(history.state, "", location.pathname + query(state) + location.hash);
    } catch (e) {
      /* a sandboxed frame: the wall still filters, the address just does not follow */
    }
  }

  // The address's choice, where it names one of the choices on offer (a stale link keeps the rest).
  // Everything else back to its default: a browser may have restored an older choice on reload.
  function defaults() {
    select.category.value = "";
    select.theme.value = "";
    select.sort.value = SORTS[0];
  }

  function readAddress() {
    defaults();
    var pairs = location.search.replace(/^\?/, "").split("&");
    for (var k = 0; k < pairs.length; k++) {
      var eq = pairs[k].indexOf("=");
      if (eq < 0) continue;
      var key = pairs[k].slice(0, eq);
      var value;
      try {
        value = decodeURIComponent(pairs[k].slice(eq + 1).replace(/\+/g, " "));
      } catch (e) {
        continue;
      }
      if (select[key] && has(optionValues(select[key]), value)) select[key].value = value;
    }
  }

  function reset(event) {
    event.preventDefault();
    defaults();
    remember(apply());
    select.category.focus();
  }

  readAddress();
  apply();
  for (var s = 0; s < names.length; s++) {
    select[names[s]].addEventListener("change", function () {
      remember(apply());
    });
  }
  var resets = wall.querySelectorAll("[data-sc-wall-reset]");
  for (var r = 0; r < resets.length; r++) resets[r].addEventListener("click", reset);
})();
