/* 网页编辑（/admin/）的预览：用网站自己的样式表和类名（site/templates/branch.html、_macros.html）
   在 Decap CMS 的预览窗格里画出党组织页面——标题区（品牌、全称）、数据看板、图片。
   普通 JavaScript，用 Decap 提供的 h（React.createElement），不需要编译。 */
(function () {
  "use strict";
  var CMS = window.CMS;
  if (!CMS) { return; }
  var h = window.h || CMS.h;
  var script = document.currentScript;
  var css = ((script && script.getAttribute("data-css")) || "").split(/\s+/).filter(Boolean);
  css.forEach(function (href) {
    CMS.registerPreviewStyle(new URL(href, document.baseURI).href);
  });

  var QUOTES = "“\"「《"; // 与 branch.html 相同：以引号开头的品牌名不再加引号
  var BEFORE = ["近", "约", "超"]; // 与 model.py 的 QUALIFIERS_BEFORE 相同：近3000人次，1400余名

  function get(map, key) {
    var v = map && map.get ? map.get(key) : undefined;
    return v === undefined || v === null ? "" : v;
  }

  function displayNumber(f) {
    var value = String(get(f, "value")), q = String(get(f, "qualifier")), unit = String(get(f, "unit"));
    return BEFORE.indexOf(q) >= 0 ? q + value + unit : value + q + unit;
  }

  function hero(data) {
    var brand = get(data, "brand");
    var name = String(get(brand, "name"));
    var slogan = String(get(brand, "slogan"));
    var tags = [get(data, "region"), get(data, "category")].filter(Boolean).map(function (t) {
      return h("li", { key: "t" + t }, h("span", {}, String(t)));
    });
    (get(data, "themes") || []).forEach(function (t) { tags.push(h("li", { key: "#" + t }, h("span", {}, "#" + t))); });
    return h("header", { className: "sc-hero" },
      h("div", { className: "sc-hero__main" },
        h("span", { className: "sc-monogram", "aria-hidden": "true" }, name.replace(/[“”"「」《》‘’\s]/g, "").slice(0, 2)),
        h("div", {},
          h("p", { className: "sc-kicker" }, "党建品牌"),
          h("h1", { className: "sc-hero__title" },
            h("span", { className: "sc-hero__brand" + (name && QUOTES.indexOf(name.charAt(0)) >= 0 ? " sc-hero__brand--quoted" : "") }, name),
            h("span", { className: "sc-hero__org" }, String(get(data, "name")))))),
      slogan ? h("p", { className: "sc-hero__slogan" }, slogan) : null,
      h("ul", { className: "sc-tags", "aria-label": "分类" }, tags));
  }

  function figures(data) {
    var list = get(data, "figures");
    if (!list || !list.size) { return null; }
    return h("section", { className: "sc-section" },
      h("h2", { className: "sc-section__title" }, "数据看板"),
      h("ul", { className: "sc-figures" }, list.toArray().map(function (f, i) {
        return h("li", { className: "sc-figure", key: i },
          h("span", { className: "sc-figure__number" }, displayNumber(f)),
          h("span", { className: "sc-figure__label" }, String(get(f, "label"))));
      })));
  }

  function gallery(data, getAsset, entryPath) {
    var list = get(data, "photos");
    if (!list || !list.size) { return null; }
    return h("section", { className: "sc-section" },
      h("h2", { className: "sc-section__title" }, "图片"),
      h("div", { className: "sc-gallery" }, list.toArray().map(function (p, i) {
        var file = String(get(p, "file"));
        var asset = file ? getAsset(file) : null;
        return h("figure", { className: "sc-photo", key: i },
          asset ? h("img", { src: String(asset), alt: String(get(p, "caption")), loading: "lazy" }) : null,
          h("figcaption", {},
            h("span", { className: "sc-photo__caption" }, String(get(p, "caption"))),
            h("span", { className: "sc-credit" }, String(get(p, "credit"))),
            get(p, "date") ? h("span", { className: "sc-photo__date" }, String(get(p, "date"))) : null));
      })));
  }

  function BranchPreview(props) {
    var data = props.entry.get("data");
    return h("div", { className: "md-typeset" },
      h("article", { className: "sc-branch" },
        hero(data),
        get(data, "summary") ? h("p", { className: "sc-summary" }, String(get(data, "summary"))) : null,
        figures(data),
        gallery(data, props.getAsset, props.entry.get("path"))));
  }

  ["branches", "profiles"].forEach(function (name) { CMS.registerPreviewTemplate(name, BranchPreview); });
})();
