// The QR sheet's Print button (no inline script: the CSP allows scripts from static files only).
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
