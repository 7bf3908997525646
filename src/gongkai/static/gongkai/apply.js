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

// 获取信息的途径 offered for the chosen 形式 only (the pairs come from the domain through the form's
// data-delivery-pairs attribute; the server refuses any other pair with its own message).
(function () {
  var form = document.getElementById("apply-form");
  if (!form || !form.dataset.deliveryPairs) { return; }
  var pairs;
  try { pairs = JSON.parse(form.dataset.deliveryPairs); } catch (e) { return; }
  var forms = form.querySelectorAll('input[name="delivery_form"]');
  var channels = form.querySelectorAll('input[name="delivery_channel"]');
  function apply() {
    var chosen = form.querySelector('input[name="delivery_form"]:checked');
    var allowed = chosen ? pairs[chosen.value] || [] : null;
    channels.forEach(function (input) {
      var ok = allowed === null || allowed.indexOf(input.value) !== -1;
      var label = input.closest("label") || input.parentNode;
      label.hidden = !ok;
      input.disabled = !ok;
      if (!ok && input.checked) { input.checked = false; }
    });
    if (allowed && allowed.length === 1) {
      channels.forEach(function (input) { if (input.value === allowed[0]) { input.checked = true; } });
    }
  }
  forms.forEach(function (input) { input.addEventListener("change", apply); });
  apply();
})();
