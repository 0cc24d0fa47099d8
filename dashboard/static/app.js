// Ask before submitting forms whose button carries data-confirm (no inline handlers: CSP forbids them).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A button with data-print opens the browser's print dialog (print or save as PDF).
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.closest && target.closest("[data-print]")) {
    window.print();
  }
});

// A checkbox with data-select-all="name" ticks or unticks every checkbox of that name in its form.
document.addEventListener("change", function (event) {
  var box = event.target;
  var name = box && box.getAttribute && box.getAttribute("data-select-all");
  if (!name || !box.form) {
    return;
  }
  box.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (other) {
    other.checked = box.checked;
  });
});
