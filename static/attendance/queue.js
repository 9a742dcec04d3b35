// Check-ins on a facilitator's phone, kept until the server has them. Each has its own id and the phone's
// time and waits in localStorage (one queue per user of the phone): without signal it stays there (the
// page shows how many) and is sent when the connection returns, every 15 seconds, or when any attendance
// page is opened again, in batches the server takes. The server applies each id once, so a batch sent
// twice changes nothing; a check-in refused because the register is closed stays, to go once it reopens.
const BATCH = 200;

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, c =>
    (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16));
}

function csrf() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || "";
}

// The live counts of a session page (elements with data-count="hadir" and so on).
export function showCounts(root, counts) {
  for (const [name, value] of Object.entries(counts)) {
    const el = root.querySelector(`[data-count="${name}"]`);
    if (el) el.textContent = value;
  }
}

// How many check-ins wait on this phone, in the page's words (data-waiting, data-offline on root).
export function showQueueState(root, element, waiting, offline) {
  element.hidden = !waiting && !offline;
  element.textContent = (offline ? root.dataset.offline + " " : "") + (waiting ? waiting + " " + root.dataset.waiting : "");
}

// url: this page's session check-in address; user: who is logged in; onResults(data) for this page's
// answers; onState(waiting, offline).
export function createQueue({url, user, onResults, onState}) {
  const key = `retret-attendance-queue:${user}`;
  const load = () => { try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; } };
  const save = queue => localStorage.setItem(key, JSON.stringify(queue));
  let sending = false, again = false;

  async function sendBatch(target, events) {
    const response = await fetch(target, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify({events: events.map(({url: _url, ...event}) => event)}),
    });
    if (!response.ok) throw new Error(response.status);
    const data = await response.json();
    const done = new Set(data.results.filter(result => result.outcome !== "waiting").map(result => result.id));
    save(load().filter(event => !done.has(event.id)));
    if (target === url) onResults(data);
  }

  async function flush() {
    if (sending) { again = true; return; }  // sent right after the batches on their way
    const queue = load();
    if (!queue.length) { onState(0, !navigator.onLine); return; }
    sending = true;
    let sent = false;
    try {
      const targets = [url, ...new Set(queue.map(event => event.url).filter(target => target !== url))];
      for (const target of targets) {
        const events = queue.filter(event => event.url === target);
        for (let start = 0; start < events.length; start += BATCH) {
          await sendBatch(target, events.slice(start, start + BATCH));
        }
      }
      sent = true;
      onState(load().length, false);
    } catch (error) {
      onState(load().length, true);  // no signal (or the server is unreachable): the check-ins wait here
    } finally {
      sending = false;
      if (again && sent) { again = false; flush(); }
      again = false;
    }
  }

  function add(event) {
    const queue = load();
    queue.push({id: newId(), url, occurred_at: new Date().toISOString(), ...event});
    save(queue);
    flush();
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", () => onState(load().length, true));
  setInterval(flush, 15000);
  flush();
  return {add, flush};
}
