// The document form: the validity note is shown only for the kinds of document that have a
// validity (the kinds are listed in the note's data-kinds attribute).
(function () {
  var kind = document.getElementById("id_kind"), note = document.querySelector("[data-testid=validity-note]");
  if (!kind || !note) { return; }
  var kinds = note.getAttribute("data-kinds").split(" ");
  function show() { note.hidden = kinds.indexOf(kind.value) < 0; }
  kind.addEventListener("change", show);
  show();
})();
