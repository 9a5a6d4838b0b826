/* A document's page while it is being made: polls its status (data-status-url) every second, moves
   the bar and the step, and reloads the page when the document is done or failed. */
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar"), holder = box.querySelector(".progress");
  var state = document.getElementById("report-state"), step = document.getElementById("report-step");

  function show(progress) {
    bar.style.width = progress + "%";
    bar.textContent = progress + "%";
    holder.setAttribute("aria-valuenow", progress);
  }

  show(Number(bar.dataset.progress || 0));
  if (box.dataset.finished === "1") { return; }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (s) {
        show(s.progress);
        state.textContent = s.state_label;
        step.textContent = s.step;
        if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
