// Confirm before destructive form posts (data-confirm="…"); no inline scripts under the CSP.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// The unit tree's carets: the first click loads the children with htmx, the next one folds
// them away without a request, and the one after that loads them afresh.
function treeCaret(button, open) {
  button.setAttribute("aria-expanded", open ? "true" : "false");
  var icon = button.querySelector("i");
  if (icon) {
    icon.classList.toggle("bi-caret-right", !open);
    icon.classList.toggle("bi-caret-down", open);
  }
}
document.addEventListener("htmx:confirm", function (event) {
  var button = event.detail.elt;
  if (!button.hasAttribute || !button.hasAttribute("data-tree-toggle")) {
    return;
  }
  if (button.getAttribute("aria-expanded") === "true") {
    event.preventDefault();
    var children = button.parentElement.querySelector(":scope > .children");
    if (children) {
      children.replaceChildren();
    }
    treeCaret(button, false);
  }
});
document.addEventListener("htmx:afterRequest", function (event) {
  var button = event.detail.elt;
  if (button.hasAttribute && button.hasAttribute("data-tree-toggle") && event.detail.successful) {
    treeCaret(button, true);
  }
});

// A "Print" button (data-print), e.g. the sheet of one-time passwords: no inline script under the CSP.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
