// Photo galleries: tap a photo to see it large, swipe between photos (PhotoSwipe, self-hosted).
// Loaded as a module only on pages with photos; PhotoSwipe's main code and stylesheet are
// fetched on the first tap, so a page costs nothing extra until someone opens a photo.
// Without JavaScript every photo is still a link to its large version.
import PhotoSwipeLightbox from "./vendor/photoswipe/photoswipe-lightbox.esm.min.js";

const base = new URL("./vendor/photoswipe/", import.meta.url);
let cssLoaded = null;

function loadCss() {
  if (!cssLoaded) {
    cssLoaded = new Promise((resolve) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL("photoswipe.css", base).href;
      link.onload = link.onerror = () => resolve();
      document.head.appendChild(link);
    });
  }
  return cssLoaded;
}

function captionOf(slide) {
  // The figure's own caption and credit, copied as nodes (never parsed as HTML).
  const figure = slide && slide.data.element && slide.data.element.closest("figure");
  const source = figure && figure.querySelector("figcaption");
  const out = document.createDocumentFragment();
  if (source) {
    for (const node of source.childNodes) out.appendChild(node.cloneNode(true));
  }
  return out;
}

for (const gallery of document.querySelectorAll("[data-sc-gallery]")) {
  const lightbox = new PhotoSwipeLightbox({
    gallery,
    children: "a.sc-photo__link",
    pswpModule: () => import(new URL("photoswipe.esm.min.js", base).href),
    openPromise: loadCss,
    bgOpacity: 0.92,
    closeTitle: "关闭（Esc）",
    zoomTitle: "放大或缩小",
    arrowPrevTitle: "上一张",
    arrowNextTitle: "下一张",
    errorMsg: "图片无法加载",
    indexIndicatorSep: " / ",
  });
  lightbox.on("uiRegister", () => {
    lightbox.pswp.ui.registerElement({
      name: "sc-caption",
      order: 9,
      isButton: false,
      appendTo: "root",
      onInit: (el, pswp) => {
        el.className = "sc-lightbox-caption";
        el.setAttribute("aria-live", "polite");
        pswp.on("change", () => {
          el.replaceChildren(captionOf(pswp.currSlide));
        });
      },
    });
  });
  lightbox.on("contentLoad", ({ content }) => {
    // Screen readers hear the same text as on the page.
    const thumb = content.data.element && content.data.element.querySelector("img");
    if (thumb) content.data.alt = thumb.alt;
  });
  lightbox.init();
}
