// The bell's unread count kept current while the page stays open: asked of the API every minute while
// the page is visible, and at once when the window comes back into focus. The texts come from the
// bell's own data attributes (translated in the template); this file carries none of its own.
(function () {
  "use strict";

  var bell = document.getElementById("notification-bell");
  if (!bell || !window.fetch) return;
  var url = bell.getAttribute("data-count-url");
  var every = 1000 * (parseInt(bell.getAttribute("data-poll-seconds"), 10) || 60);
  var busy = false;

  function show(count) {
    if (String(count) === bell.getAttribute("data-unread")) return;
    bell.setAttribute("data-unread", String(count));
    var label = count ? bell.getAttribute("data-label-some").replace("{n}", String(count))
                      : bell.getAttribute("data-label-none");
    bell.setAttribute("aria-label", label);
    var icon = bell.querySelector(".bi");
    if (icon) icon.className = count ? "bi bi-bell-fill" : "bi bi-bell";
    var badge = bell.querySelector(".badge");
    if (count) {
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "badge rounded-pill text-bg-warning ms-1";
        badge.setAttribute("aria-hidden", "true");
        bell.appendChild(badge);
      }
      badge.textContent = count > 99 ? "99+" : String(count);
    } else if (badge) {
      badge.remove();
    }
  }

  function refresh() {
    if (busy || document.visibilityState === "hidden") return;
    busy = true;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        // Signed out meanwhile (the session ran out): stop asking until the next page.
        if (response.status === 401 || response.status === 403) window.clearInterval(timer);
        return response.ok ? response.json() : null;
      })
      .then(function (body) { if (body && typeof body.count === "number") show(body.count); })
      .catch(function () { /* offline for a moment: the next round asks again */ })
      .then(function () { busy = false; });
  }

  var timer = window.setInterval(refresh, every);
  window.addEventListener("focus", refresh);
  document.addEventListener("visibilitychange", refresh);
})();
