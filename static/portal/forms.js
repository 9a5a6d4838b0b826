/* After a refused submission: focus the error summary (or, without one, the first invalid field), so
   the person hears and sees what is wrong at once; a link of the summary moves focus to its field. */
(function () {
  "use strict";

  function focusField(field) {
    field.focus({preventScroll: true});
    var label = document.querySelector('label[for="' + field.id + '"]');
    (label || field).scrollIntoView({block: "center"});
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest('a[href^="#"]');
        if (!link) { return; }
        var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
        if (!field) { return; }
        event.preventDefault();
        focusField(field);
      });
      return;
    }
    var invalid = document.querySelector('main [aria-invalid="true"]');
    if (invalid) { focusField(invalid); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
