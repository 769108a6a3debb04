// Print buttons: <button type="button" data-print>. A file, not an inline onclick, so that the
// Content-Security-Policy can forbid inline scripts.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
