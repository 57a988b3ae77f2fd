/* Concord: load the case page's similar-precedents panel after the page (issue 9 item 10).
   The server answers within about a second (short timeout and circuit breaker); the browser
   gives up after ten seconds and says the search is unavailable. No inline script needed. */
(function () {
  "use strict";
  var panels = document.querySelectorAll("[data-similar-url]");
  Array.prototype.forEach.call(panels, function (panel) {
    var status = panel.querySelector("[role=status]");
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 10000) : null;
    fetch(panel.getAttribute("data-similar-url"), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector(".similar-precedents");
      if (fresh) { fresh.id = panel.id; panel.replaceWith(fresh); }
    }).catch(function () {
      if (status) { status.textContent = panel.getAttribute("data-unavailable"); }
    }).then(function () {
      if (timer) { clearTimeout(timer); }
    });
  });
})();
