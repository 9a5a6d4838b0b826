// The new API key's copy button: <button data-copy-target="ID" data-copied-label="…">. Copies the
// value of the field with that id; where the clipboard API is refused (a plain-http intranet address
// is no secure context), selects the text and copies it the old way.
(function () {
  "use strict";

  function confirmCopied(button) {
    var label = button.querySelector("span") || button;
    var before = label.textContent;
    label.textContent = button.getAttribute("data-copied-label");
    button.classList.add("btn-success");
    button.classList.remove("btn-outline-secondary");
    window.setTimeout(function () {
      label.textContent = before;
      button.classList.remove("btn-success");
      button.classList.add("btn-outline-secondary");
    }, 2000);
  }

  function copyBySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) return;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        confirmCopied(button);
      }, function () {
        if (copyBySelection(field)) confirmCopied(button);
      });
    } else if (copyBySelection(field)) {
      confirmCopied(button);
    }
  });
})();
