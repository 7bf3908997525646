// One click, one application: the button is disabled while the form is sent (the server also
// refuses a second submission of the same form), and enabled again when the page is shown from
// the back/forward cache. A file, not inline script: the Content-Security-Policy forbids inline.
(function () {
  var form = document.getElementById("apply-form"), button = document.getElementById("submit-button");
  if (!form || !button) { return; }
  form.addEventListener("submit", function () {
    setTimeout(function () { button.disabled = true; button.textContent = "正在提交…"; }, 0);
  });
  window.addEventListener("pageshow", function () {
    button.disabled = false; button.textContent = "提交申请";
  });
})();
