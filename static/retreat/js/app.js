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
//   data-keep-input               on a <form> (the footer's language switch): what was typed in the page's
//                                 other forms and not saved yet is kept in sessionStorage across the
//                                 switch and put back when the same page loads again
//   data-file-picker              around a visually hidden file input: its .file-picker-name shows the chosen
//                                 file names (the browser's own "Choose File" would follow its language)
//   hx-target="#jobs"             on a form asking for a document: its button is disabled and spins while
//                                 the request runs (without a worker the document is made in the request)
(function () {
  "use strict";

  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
    const picker = event.target.closest("[data-file-picker]");
    const name = picker && picker.querySelector(".file-picker-name");
    if (name && event.target.type === "file") {
      if (!name.dataset.empty) name.dataset.empty = name.textContent;
      const files = Array.from(event.target.files, (file) => file.name);
      name.textContent = files.length ? files.join(", ") : name.dataset.empty;
    }
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

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.target.closest && event.target.closest('form[hx-target="#jobs"]');
    const button = form && form.querySelector("button[type=submit], button:not([type])");
    if (!button || button.disabled) return;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    const spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm ms-1 job-request-spinner";
    spinner.setAttribute("aria-hidden", "true");
    button.append(spinner);
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.target.closest && event.target.closest('form[hx-target="#jobs"]');
    if (!form) return;
    for (const button of form.querySelectorAll("button[aria-busy]")) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      for (const spinner of button.querySelectorAll(".job-request-spinner")) spinner.remove();
    }
  });

  // --- Unsaved input kept across the language switch ---------------------------------------------------
  const KEPT = "retret:kept-input";

  function fields(except) {
    const found = [];
    Array.from(document.forms).forEach((form, index) => {
      if (form === except || form.hasAttribute("data-keep-input")) return;
      for (const field of form.elements) {
        if (!field.name || field.disabled || field.name === "csrfmiddlewaretoken") continue;
        if (["hidden", "password", "file", "submit", "button", "reset"].includes(field.type)) continue;
        found.push({index, field});
      }
    });
    return found;
  }

  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") return Array.from(field.options).some((o) => o.selected !== o.defaultSelected);
    return field.value !== field.defaultValue;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-keep-input]");
    if (!form) return;
    const kept = [];
    for (const {index, field} of fields(form)) {
      if (!changed(field)) continue;
      const entry = {form: index, name: field.name, type: field.type};
      if (field.type === "checkbox" || field.type === "radio") {
        Object.assign(entry, {value: field.value, checked: field.checked});
      } else if (field.tagName === "SELECT") {
        entry.selected = Array.from(field.selectedOptions).map((o) => o.value);
      } else {
        entry.value = field.value;
      }
      kept.push(entry);
    }
    try {
      if (kept.length) {
        sessionStorage.setItem(KEPT, JSON.stringify({page: location.pathname + location.search, kept}));
      } else {
        sessionStorage.removeItem(KEPT);
      }
    } catch (error) {
      // Storage is off (a private window, say): the switch still works, the input is lost as before.
    }
  });

  function restore() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEPT) || "null");
      sessionStorage.removeItem(KEPT);
    } catch (error) {
      return;
    }
    if (!saved || saved.page !== location.pathname + location.search) return;
    const present = fields(null);
    for (const entry of saved.kept) {
      for (const {index, field} of present) {
        if (index !== entry.form || field.name !== entry.name) continue;
        if ("checked" in entry) {
          if (field.value === entry.value) field.checked = entry.checked;
        } else if (entry.selected) {
          for (const option of field.options) option.selected = entry.selected.includes(option.value);
        } else {
          field.value = entry.value;
        }
      }
    }
  }

  function settle(root) {
    for (const bar of root.querySelectorAll("[data-percent]")) {
      bar.style.width = `${Number(bar.dataset.percent) || 0}%`;
    }
    const active = root.querySelector(".program-tabs .active");
    if (active) active.scrollIntoView({block: "nearest", inline: "center"});
  }

  document.addEventListener("DOMContentLoaded", () => {
    restore();
    settle(document);
  });
  document.addEventListener("htmx:afterSettle", (event) => settle(event.target));
})();
