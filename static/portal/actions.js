// Small page behaviours that templates once wrote as inline handlers (the content-security policy
// allows no inline script): a confirmation before a grave action, and a box that ticks a column.
(function () {
  "use strict";

  // <button data-confirm="…">: ask before the form is sent; cancelling sends nothing.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // <input type="checkbox" data-check-all="NAME">: ticks or unticks every checkbox named NAME.
  document.addEventListener("change", function (event) {
    var box = event.target.closest("[data-check-all]");
    if (!box) return;
    var name = box.getAttribute("data-check-all");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (b) {
      b.checked = box.checked;
    });
  });
})();
