// The recovery codes page: its print button prints the page (the print style keeps only the codes).
document.querySelectorAll("[data-twofactor-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
