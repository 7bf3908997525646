// The registered page: print the 受理回执 letter (the print stylesheet shows only the letter).
(function () {
  var button = document.getElementById("print-receipt-letter");
  if (!button) { return; }
  button.addEventListener("click", function () { window.print(); });
})();
