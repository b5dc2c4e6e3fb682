// Status board auto-refresh: fetch the counts+table fragment and swap it in, without reloading the page.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var seconds = parseInt(board.getAttribute("data-refresh"), 10) || 30;
  var url = board.getAttribute("data-fragment-url");

  function refresh() {
    if (document.hidden) { return; }
    fetch(url + window.location.search, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.redirected || !response.ok) { throw new Error("refresh failed: " + response.status); }
        return response.text();
      })
      .then(function (html) { board.innerHTML = html; board.classList.remove("refresh-failed"); })
      .catch(function () { board.classList.add("refresh-failed"); });
  }

  window.yunwangRefreshBoard = refresh;  // lets a person (or a browser test) refresh now
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
})();
