// Polls a batch's progress while the audit runs in the background, then reloads to show results.
(function () {
  var box = document.getElementById("progress");
  if (!box) return;
  var bar = box.querySelector(".bar"), finished = box.querySelector(".finished");
  // the width is set here, not in a style attribute, which the Content-Security-Policy refuses
  bar.style.width = bar.dataset.percent + "%";
  if (box.dataset.complete === "1") return;
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
