// Polls a batch's progress while the audit runs in the background, then reloads to show results.
(function () {
  var box = document.getElementById("progress");
  if (!box || box.dataset.complete === "1") return;
  var bar = box.querySelector(".bar"), finished = box.querySelector(".finished");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        bar.style.width = p.percent + "%";
        finished.textContent = p.finished;
        if (p.complete) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
