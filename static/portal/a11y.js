/* A table box that scrolls (.table-responsive, or any [data-scroll-region]) is reachable with the
   keyboard, so that a person without a mouse can scroll it with the arrow keys (WCAG 2.1.1), and is
   announced by name: it gets tabindex="0", role="region" and an aria-label taken from its table's
   caption, its card's header or the heading before it. A box that does not scroll at the current width
   gets no tab stop; boxes whose markup sets tabindex themselves are left as written. Decorative
   icons are hidden from screen readers. */
(function () {
  "use strict";

  var SELECTOR = ".table-responsive, [data-scroll-region]";

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function nameOf(box) {
    var table = box.querySelector("table");
    if (table && table.caption && text(table.caption)) return text(table.caption);
    var card = box.closest(".card");
    if (card) {
      var header = card.querySelector(".card-header");
      if (text(header)) return text(header);
    }
    var headings = document.querySelectorAll("main h1, main h2, main h3");
    var last = "";
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) last = text(headings[i]);
    }
    return last || document.title;
  }

  function update() {
    var boxes = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.hasAttribute("tabindex") && !box.hasAttribute("data-a11y-auto")) continue;
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("data-a11y-auto")) {
        // remember what was added, to take back only that when the box stops scrolling
        var added = ["tabindex"];
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); added.push("role"); }
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", nameOf(box));
          added.push("aria-label");
        }
        box.setAttribute("data-a11y-auto", added.join(" "));
      } else if (!scrolls && box.hasAttribute("data-a11y-auto") && document.activeElement !== box) {
        box.getAttribute("data-a11y-auto").split(" ").forEach(function (name) { box.removeAttribute(name); });
        box.removeAttribute("data-a11y-auto");
      }
    }
  }

  /* Bootstrap Icons draw a private-use character: beside a word it is decoration, hidden from screen
     readers (an icon with its own aria-label or title is left as written). */
  function hideDecorativeIcons() {
    var icons = document.querySelectorAll("i.bi:not([aria-hidden]):not([aria-label]):not([title])");
    for (var i = 0; i < icons.length; i++) icons[i].setAttribute("aria-hidden", "true");
  }

  var pending = null;
  function later() {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  }

  function init() { hideDecorativeIcons(); update(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  window.addEventListener("load", update);
  window.addEventListener("resize", later);
})();
