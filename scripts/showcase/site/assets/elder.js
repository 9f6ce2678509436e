/* 长辈模式 (适老化): large text and high contrast for elderly readers.
 *
 * Loaded in <head> as a plain, parser-blocking external script (no defer, no inline code, so
 * the Content-Security-Policy needs no hash for it): the reader's choice is put on <html>
 * before the body is parsed, so the first paint is already in the right size, without a flash.
 * The toggle in the header (<button data-sc-elder aria-pressed>) is wired once the page is
 * parsed. The choice is kept in localStorage and applies to every page of the site.
 * ES5 on purpose: old Android WebViews (WeChat) still read this site.
 */
(function () {
  "use strict";
  var KEY = "showcase.elder";
  var ON = "sc-elder";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (e) {
      return false; // storage blocked (private mode, strict WebView settings): just not remembered
    }
  }

  function remember(on) {
    try {
      if (on) window.localStorage.setItem(KEY, "1");
      else window.localStorage.removeItem(KEY);
    } catch (e) {
      /* the mode still applies to this page */
    }
  }

  function buttons() {
    return document.querySelectorAll("[data-sc-elder]");
  }

  function apply(on) {
    if (on) root.classList.add(ON);
    else root.classList.remove(ON);
    var all = buttons();
    for (var i = 0; i < all.length; i++) all[i].setAttribute("aria-pressed", on ? "true" : "false");
  }

  // The toggle is shown only where this script runs (it does nothing without it).
  root.classList.add("sc-js");
  apply(stored());

  function wire() {
    apply(root.classList.contains(ON));
    var all = buttons();
    for (var i = 0; i < all.length; i++) {
      all[i].addEventListener("click", function () {
        var on = !root.classList.contains(ON);
        apply(on);
        remember(on);
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();

  // Switched in another tab of the same site: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(event.newValue === "1");
  });
})();
