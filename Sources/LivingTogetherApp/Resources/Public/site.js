// The little JavaScript of the site; every page works without it.
// A "Print" button (data-print) is shown and prints the page; without JavaScript the hint beside it says how.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
