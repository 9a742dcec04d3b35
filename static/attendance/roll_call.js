// Roll call on a facilitator's phone. Every tap becomes a check-in with its own id and the phone's time,
// kept in localStorage until the server has it: taps made without signal wait on the phone (the page says
// how many) and are sent when the connection returns, or on the next page load. The server applies each
// id once, so sending a batch again changes nothing.
(function () {
  "use strict";
  const root = document.querySelector(".roll-call");
  if (!root || !window.fetch || !window.localStorage) return;  // the plain forms still work
  const url = root.dataset.syncUrl;
  const KEY = "retret-attendance-queue";
  const csrf = () => {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || "";
  };
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() :
    "10000000-1000-4000-8000-100000000000".replace(/[018]/g, c =>
      (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16)));
  const queueState = root.querySelector(".queue-state");

  function load() { try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; } }
  function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }
  function mine(queue) { return queue.filter(event => event.url === url); }

  function showQueue(offline) {
    const waiting = mine(load()).length;
    queueState.hidden = !waiting && !offline;
    queueState.textContent = (offline ? root.dataset.offline + " " : "") + (waiting ? waiting + " " + root.dataset.waiting : "");
  }

  function paint(row, status, label, note, pending) {
    row.dataset.status = status;
    row.querySelectorAll(".statuses button").forEach(b => b.classList.toggle("active", b.value === status));
    row.querySelector(".current .label").textContent = label + (pending ? " ⏳" : "");
    let noteEl = row.querySelector(".current .note");
    if (note) {
      if (!noteEl) { noteEl = document.createElement("div"); noteEl.className = "text-secondary note"; row.querySelector(".current").append(noteEl); }
      noteEl.textContent = note;
    } else if (noteEl) { noteEl.remove(); }
  }

  let sending = false, again = false;
  async function flush() {
    if (sending) { again = true; return; }  // sent right after the batch on its way
    const events = mine(load());
    if (!events.length) { showQueue(!navigator.onLine); return; }
    sending = true;
    let sent = false;
    try {
      const response = await fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
        body: JSON.stringify({events: events.map(({id, enrollment, status, note, occurred_at}) => ({id, enrollment, status, note, occurred_at}))}),
      });
      if (!response.ok) throw new Error(response.status);
      const data = await response.json();
      const done = new Set(data.results.map(result => result.id));
      save(load().filter(event => !done.has(event.id)));
      for (const result of data.results) {
        const row = root.querySelector(`.person[data-enrollment="${result.enrollment}"]`);
        if (row && result.status) paint(row, result.status, result.label, result.note, false);
        if (row && result.outcome === "refused") row.querySelector(".current .label").textContent = result.message;
      }
      for (const [name, value] of Object.entries(data.counts)) {
        const el = root.querySelector(`[data-count="${name}"]`);
        if (el) el.textContent = value;
      }
      showQueue(false);
      sent = true;
    } catch (error) {
      showQueue(true);  // no signal (or the server is unreachable): the taps wait on this phone
    } finally {
      sending = false;
      if (again && sent) { again = false; flush(); }
      again = false;
    }
  }

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
    const queue = load();
    queue.push({id: newId(), url, enrollment: row.dataset.enrollment, status: button.value, note,
                occurred_at: new Date().toISOString()});
    save(queue);
    paint(row, button.value, button.title, note, true);
    flush();
  });

  const search = root.querySelector(".roll-call-search");
  search.addEventListener("input", () => {
    const words = search.value.trim().toLowerCase();
    root.querySelectorAll(".person").forEach(row => { row.hidden = words && !row.dataset.name.includes(words); });
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", () => showQueue(true));
  setInterval(flush, 15000);
  flush();
})();
