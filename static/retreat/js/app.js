// Small behaviours of the staff pages, declared in the markup with data- attributes (the
// Content-Security-Policy allows no inline handlers or scripts). Listeners sit on the document, so
// content that htmx swaps in later behaves the same.
//
//   data-autosubmit               on a <select>: submits its form when the choice changes
//   data-confirm="question"       on a <form>: asks before submitting
//   data-copy="element id"        on a button: copies that field's value; data-copied="label" then shows
//   data-close="selector"         on a button: empties the closest element matching the selector
//   data-clear-on-success="id"    on an htmx form: empties that element once the form was saved
//   data-percent="n"              on a progress bar: its width
//   .program-tabs                 the active tab is scrolled into view on narrow screens
(function () {
  "use strict";

  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);

  document.addEventListener("click", (event) => {
    const copy = event.target.closest("[data-copy]");
    if (copy) {
      const field = document.getElementById(copy.dataset.copy);
      if (field && navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(() => {
          if (copy.dataset.copied) copy.textContent = copy.dataset.copied;
        });
      }
    }
    const close = event.target.closest("[data-close]");
    if (close) {
      const target = close.closest(close.dataset.close);
      if (target) target.replaceChildren();
    }
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.target.closest && event.target.closest("form[data-clear-on-success]");
    if (!form || !event.detail.successful) return;
    // A form sent back with errors is swapped into the editor itself; only a save updates the target.
    if (event.detail.target && event.detail.target.id === form.getAttribute("hx-target").replace("#", "")) {
      const editor = document.getElementById(form.dataset.clearOnSuccess);
      if (editor) editor.replaceChildren();
    }
  });

  function settle(root) {
    for (const bar of root.querySelectorAll("[data-percent]")) {
      bar.style.width = `${Number(bar.dataset.percent) || 0}%`;
    }
    const active = root.querySelector(".program-tabs .active");
    if (active) active.scrollIntoView({block: "nearest", inline: "center"});
  }

  document.addEventListener("DOMContentLoaded", () => settle(document));
  document.addEventListener("htmx:afterSettle", (event) => settle(event.target));
})();
