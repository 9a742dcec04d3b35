// Roll call on a facilitator's phone: one tap per status, sent through the offline-safe queue.
import {createQueue, showCounts, showQueueState} from "./queue.js";

const root = document.querySelector(".roll-call");
if (root && window.fetch && window.localStorage) {  // otherwise the plain forms still work
  const queueState = root.querySelector(".queue-state");

  const paint = (row, status, label, note, pending) => {
    row.dataset.status = status;
    row.querySelectorAll(".statuses button").forEach(b => b.classList.toggle("active", b.value === status));
    row.querySelector(".current .label").textContent = label + (pending ? " ⏳" : "");
    let noteEl = row.querySelector(".current .note");
    if (note) {
      if (!noteEl) { noteEl = document.createElement("div"); noteEl.className = "text-secondary note"; row.querySelector(".current").append(noteEl); }
      noteEl.textContent = note;
    } else if (noteEl) { noteEl.remove(); }
  };

  const queue = createQueue({
    url: root.dataset.syncUrl,
    user: root.dataset.user,
    onResults(data) {
      for (const result of data.results) {
        const row = root.querySelector(`.person[data-enrollment="${result.enrollment}"]`);
        if (!row) continue;
        if (result.status) paint(row, result.status, result.label, result.note, false);
        else if (result.outcome === "refused" || result.outcome === "waiting") paint(row, "", result.message, "", result.outcome === "waiting");
      }
      showCounts(root, data.counts);
    },
    onState: (waiting, offline) => showQueueState(root, queueState, waiting, offline),
  });

  root.addEventListener("click", event => {
    const button = event.target.closest(".statuses button");
    if (!button) return;
    event.preventDefault();
    const row = button.closest(".person");
    let note = "";
    if (button.value === "izin") {
      note = (window.prompt(root.dataset.notePrompt) || "").trim();
      if (!note) return;
    }
    paint(row, button.value, button.title, note, true);
    queue.add({enrollment: row.dataset.enrollment, status: button.value, note, method: "roll_call"});
  });

  const search = root.querySelector(".roll-call-search");
  search.addEventListener("input", () => {
    const words = search.value.trim().toLowerCase();
    root.querySelectorAll(".person").forEach(row => { row.hidden = words && !row.dataset.name.includes(words); });
  });
}
