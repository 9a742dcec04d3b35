// The session editor (templates/retreat_sessions/partials/session_form.html), on the agenda page and on
// its own page. Declared in the markup (the Content-Security-Policy allows no inline scripts):
//
//   a[hx-target="#editor"]   "+ Session" and "Edit": on a screen where the editor cannot sit beside the
//                            timeline (below Bootstrap's xl, where the agenda's columns stack), the link
//                            opens the editor's own page instead of loading it far below the viewport
//   select[data-multiselect] a searchable multi-select (Tom Select); data-no-results and data-remove
//                            carry its texts
//   agenda#session-<pk>     the agenda opens at that session (back from the editor's own page)
//   input[data-clock]        a 24-hour time: 19, 1900, 19:00 or 19,00 is written back as 19.00
(function () {
  "use strict";

  const SIDE_BY_SIDE = "(min-width: 1200px)"; // .col-xl-8 / .col-xl-4 in agenda.html

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function multiSelects(root) {
    if (typeof window.TomSelect !== "function") return; // without it the lists still work
    for (const select of root.querySelectorAll("select[data-multiselect]")) {
      if (select.tomselect) continue;
      const noResults = select.dataset.noResults || "";
      new window.TomSelect(select, {
        plugins: {remove_button: {title: select.dataset.remove || ""}},
        maxOptions: null,
        hidePlaceholder: true,
        render: {
          no_results: () => `<div class="no-results">${escapeHtml(noResults)}</div>`,
        },
      });
    }
  }

  function clock(value) {
    const text = value.trim();
    const match = text.match(/^(\d{1,2})(?:[.:,](\d{1,2}))?$/) || text.match(/^(\d{1,2})(\d{2})$/);
    if (!match) return value;
    const hours = Number(match[1]);
    const minutes = match[2] === undefined ? 0 : Number(match[2]);
    if (hours > 23 || minutes > 59) return value;
    return `${String(hours).padStart(2, "0")}.${String(minutes).padStart(2, "0")}`;
  }

  document.addEventListener("change", (event) => {
    const input = event.target.closest && event.target.closest("input[data-clock]");
    if (input) input.value = clock(input.value);
  });

  document.addEventListener("htmx:confirm", (event) => {
    const link = event.detail.elt;
    if (!link || link.tagName !== "A" || link.getAttribute("hx-target") !== "#editor" || !link.href) return;
    if (window.matchMedia(SIDE_BY_SIDE).matches) return;
    event.preventDefault(); // no htmx request: the page of its own, where the user is
    window.location.assign(link.href);
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    multiSelects(target);
    if (target.id === "editor" && target.firstElementChild) {
      const top = target.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight * 0.5) target.scrollIntoView({block: "start"});
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    multiSelects(document);
    // Back from the editor's own page at agenda#session-<pk>: app.js scrolls the program tabs into view
    // on load, which would take the user away from the session again.
    const saved = window.location.hash.startsWith("#session-") && document.getElementById(window.location.hash.slice(1));
    if (saved) saved.scrollIntoView({block: "center"});
  });
})();
