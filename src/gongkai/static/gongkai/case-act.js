// A case's move with an outcome: choosing the outcome fills in its legal basis (from the
// "outcome-bases" JSON the page carries), unless the clerk has written one of their own.
// The script is deferred, so an outcome chosen before it ran is filled in at start as well.
(function () {
  var select = document.getElementById("id_outcome_code"), basis = document.getElementById("id_legal_basis");
  var data = document.getElementById("outcome-bases");
  if (!select || !basis || !data) { return; }
  var bases = JSON.parse(data.textContent), filled = basis.value;
  function follow() {
    if (basis.value === "" || basis.value === filled) { filled = bases[select.value] || ""; basis.value = filled; }
  }
  select.addEventListener("change", follow);
  if (select.value && basis.value === "") { follow(); }
})();
