// Staff inbox thread: new citizen messages appear without a reload (so a half-typed reply is never lost).
(function () {
  "use strict";
  var thread = document.getElementById("thread");
  if (!thread || !window.fetch) { return; }
  var url = thread.getAttribute("data-poll");
  var busy = false;

  function poll() {
    if (busy || document.hidden) { return; }
    busy = true;
    var after = thread.getAttribute("data-after") || "0";
    fetch(url + "?after=" + encodeURIComponent(after), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        var last = response.headers.get("X-Last-Message");
        return response.text().then(function (html) { return { html: html, last: last }; });
      })
      .then(function (result) {
        if (result.html.trim()) {
          var empty = document.getElementById("no-messages");
          if (empty) { empty.remove(); }
          thread.insertAdjacentHTML("beforeend", result.html);
          thread.lastElementChild.scrollIntoView({ block: "nearest" });
        }
        if (result.last) { thread.setAttribute("data-after", result.last); }
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { busy = false; });
  }

  setInterval(poll, 5000);
  document.addEventListener("visibilitychange", poll);
})();
