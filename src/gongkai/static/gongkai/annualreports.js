// The annual report workspace: "插入" puts a suggested sentence into its section's textarea at the
// cursor, without leaving the page. Without this script the button posts the form and the server
// inserts the sentence (the same result, saved).
(function () {
  "use strict";
  var dirty = document.querySelector("[data-testid=unsaved]");
  function markDirty() { if (dirty) { dirty.hidden = false; } }
  document.querySelectorAll("textarea[data-section]").forEach(function (area) {
    area.addEventListener("input", markDirty);
    area.addEventListener("focus", function () { area.dataset.touched = "yes"; });
  });
  document.querySelectorAll("button[data-insert]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var area = document.querySelector('textarea[data-section="' + button.dataset.insert + '"]');
      if (!area) { return; }  // read-only page: let the form decide
      event.preventDefault();
      var text = button.dataset.text || "";
      var start = area.selectionStart, end = area.selectionEnd, value = area.value;
      if (area.dataset.touched !== "yes") { start = end = value.length; }  // never placed a cursor: append
      var before = value.slice(0, start), after = value.slice(end);
      if (before && !/\n$/.test(before)) { text = "\n" + text; }
      if (after && !/^\n/.test(after)) { text = text + "\n"; }
      area.value = before + text + after;
      var caret = before.length + text.length;
      area.focus();
      area.setSelectionRange(caret, caret);
      area.dataset.touched = "yes";
      button.textContent = "已插入";
      markDirty();
    });
  });
})();
