// Print buttons (data-print): the 受理回执 letter at registration, the blank 申请表. The page's print
// stylesheet decides what goes on paper. A file, not inline script: the Content-Security-Policy.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
