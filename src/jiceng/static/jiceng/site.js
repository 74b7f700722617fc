// Confirm before destructive form posts (data-confirm="…"); no inline scripts under the CSP.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
