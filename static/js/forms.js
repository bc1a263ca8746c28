// Small behaviours of forms, kept out of the HTML so that the Content-Security-Policy can forbid
// every inline script and event handler.
//   <select data-submit-on-change>: choosing an option submits its form (the dashboard's store picker).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field instanceof HTMLElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit();
  }
});
//   <form data-confirm="…">: asks before submitting (deactivating a leaver at /staff/).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
//   <button data-print>: prints the page (the dashboard for the staff meeting).
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (button) {
    window.print();
  }
});
