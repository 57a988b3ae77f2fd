// Concord's only script: behaviour that must not be inline (Content-Security-Policy).
// The language menu submits itself when changed; without JavaScript its button does.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
