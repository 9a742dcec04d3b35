// Check-ins on a facilitator's phone, kept until the server has them. Each has its own id and the phone's
// time and waits in localStorage: without signal it stays there (the page shows how many) and is sent
// when the connection returns, every 15 seconds, or when a page of the session is opened again. The
// server applies each id once, so a batch sent twice changes nothing.
const KEY = "retret-attendance-queue";

function load() { try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; } }
function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, c =>
    (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16));
}

function csrf() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || "";
}

// url: the session's check-in address; onResults(data) after each answer; onState(waiting, offline).
export function createQueue({url, onResults, onState}) {
  const mine = () => load().filter(event => event.url === url);
  let sending = false, again = false;

  async function flush() {
    if (sending) { again = true; return; }  // sent right after the batch on its way
    const events = mine();
    if (!events.length) { onState(0, !navigator.onLine); return; }
    sending = true;
    let sent = false;
    try {
      const response = await fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
        body: JSON.stringify({events: events.map(({url: _url, ...event}) => event)}),
      });
      if (!response.ok) throw new Error(response.status);
      const data = await response.json();
      const done = new Set(data.results.map(result => result.id));
      save(load().filter(event => !done.has(event.id)));
      onResults(data);
      onState(mine().length, false);
      sent = true;
    } catch (error) {
      onState(mine().length, true);  // no signal (or the server is unreachable): the check-ins wait here
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
  window.addEventListener("offline", () => onState(mine().length, true));
  setInterval(flush, 15000);
  flush();
  return {add, flush};
}
