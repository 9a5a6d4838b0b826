/* An import's page while it is being read or written: polls its status (data-status-url) every second,
   moves the bar and the row count, and reloads the page when the import is done. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar"), holder = box.querySelector(".progress");
  var state = document.getElementById("import-progress-state"), count = document.getElementById("import-progress-count");

  function show(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    holder.setAttribute("aria-valuenow", percent);
  }

  show(Number(bar.dataset.progress || 0));

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (s) {
        show(s.percent);
        state.textContent = s.state_label;
        count.textContent = s.processed + " / " + s.total + " " + box.dataset.rowsLabel;
        if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
