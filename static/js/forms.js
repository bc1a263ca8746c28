// Small behaviours of forms, kept out of the HTML so that the Content-Security-Policy can forbid
// every inline script and event handler.
//   <select data-submit-on-change>: choosing an option submits its form (the dashboard's store picker).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field instanceof HTMLElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit();
  }
});
