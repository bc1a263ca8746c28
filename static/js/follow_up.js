// The follow-up form: propose the next follow-up date for the outcome picked, and show the booking
// fields only for a booking. Works without it: the server applies the same default.
(function () {
  function wire(form) {
    if (!form || form.dataset.wired) return;
    form.dataset.wired = "1";
    var dates = JSON.parse(form.dataset.nextDates || "{}");
    var next = form.querySelector("[name=next_follow_up_on]");
    var booking = form.querySelector(".booking-fields");
    var touched = false;
    if (next) next.addEventListener("input", function () { touched = true; });
    function update() {
      var picked = form.querySelector("[name=outcome]:checked");
      var outcome = picked ? picked.value : "";
      if (booking) booking.hidden = outcome !== "booked" && !booking.querySelector(".is-invalid");
      if (next && !touched) next.value = dates[outcome] || "";
    }
    form.addEventListener("change", function (event) { if (event.target.name === "outcome") update(); });
    update();
  }
  function wireAll() { wire(document.getElementById("follow-up-form")); }
  document.addEventListener("DOMContentLoaded", wireAll);
  document.addEventListener("htmx:afterSettle", wireAll);
})();
