// An evaluation form on a phone: one part per screen, every answer kept on the phone as it is given
// (localStorage) until the server has it, so a lost connection or a closed tab loses nothing. A sending
// keeps its id until it is confirmed: sent twice, the server saves it once.
const form = document.querySelector("form.evaluation-form");
if (form && window.fetch && window.localStorage) {
  const key = form.dataset.key;
  const steps = [...form.querySelectorAll(".eval-step")];
  const status = form.querySelector(".status");
  const stepCount = form.querySelector(".step-count");
  const prev = form.querySelector(".prev");
  const next = form.querySelector(".next");
  const send = form.querySelector(".send");
  const editable = !form.querySelector("fieldset").disabled;
  let current = 0;

  const read = () => { try { return JSON.parse(localStorage.getItem(key)) || null; } catch { return null; } };
  const write = draft => localStorage.setItem(key, JSON.stringify(draft));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, c => (c ^ (Math.random() * 16) >> (c / 4)).toString(16)));

  function answers() {
    const found = {};
    for (const [name, value] of new FormData(form)) {
      if (!/^q\d+$/.test(name)) continue;
      found[name] = name in found ? [].concat(found[name], value) : value;
    }
    return found;
  }

  function restore(saved) {
    for (const field of form.querySelectorAll("[name^=q]")) {
      const value = saved[field.name];
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = value !== undefined && [].concat(value).includes(field.value);
      } else {
        field.value = value === undefined ? "" : value;
      }
    }
  }

  function show(n) {
    current = Math.max(0, Math.min(n, steps.length - 1));
    steps.forEach((step, i) => step.classList.toggle("d-none", i !== current));
    if (prev) prev.classList.toggle("d-none", current === 0);
    if (next) next.classList.toggle("d-none", current === steps.length - 1);
    if (send) send.classList.toggle("d-none", current !== steps.length - 1);
    if (steps.length > 1) {
      stepCount.textContent = form.dataset.step.replace("{n}", current + 1).replace("{total}", steps.length);
    }
  }

  function keep() {
    // Changed answers are a new sending; the same answers sent again keep their id.
    const draft = read() || {};
    const now = answers();
    const same = draft.submission && JSON.stringify(draft.answers) === JSON.stringify(now);
    write({...draft, answers: now, submission: same ? draft.submission : newId()});
  }

  let sending = false;
  async function sendDraft() {
    const draft = read();
    if (!draft || sending) return;
    sending = true;
    try { await post(draft); } finally { sending = false; }
  }

  async function post(draft) {
    const body = new FormData();
    body.append("submission", draft.submission);
    for (const [name, value] of Object.entries(draft.answers)) {
      for (const one of [].concat(value)) body.append(name, one);
    }
    let response;
    try {
      response = await fetch(form.action || location.href, {method: "POST", body, headers: {Accept: "application/json"}});
    } catch (error) {
      write({...draft, pending: true});
      status.className = "small alert alert-warning status";
      status.textContent = form.dataset.offline;
      return;
    }
    const data = await response.json().catch(() => null);
    for (const box of form.querySelectorAll(".question .sent-error")) box.remove();
    if (!data || (!data.ok && !Object.keys(data.errors || {}).length)) {
      // Not the server's answer to the form (a refused request, a server error, a login page): the answers
      // stay on the phone and go with the next try.
      write({...draft, pending: true});
      status.className = "small alert alert-danger status";
      status.setAttribute("role", "alert");
      status.textContent = form.dataset.failed;
      return;
    }
    if (data.ok) {
      localStorage.removeItem(key);
      status.className = "small alert alert-success status";
      status.textContent = data.message;
      return;
    }
    write({...draft, pending: false});
    let first = null;
    for (const [field, messages] of Object.entries(data.errors || {})) {
      const question = document.getElementById(`question-${field.slice(1)}`);
      const text = [].concat(messages).join(" ");
      if (!question) { status.className = "small alert alert-danger status"; status.textContent = text; continue; }
      const note = document.createElement("div");
      note.className = "text-danger small mt-1 sent-error";
      note.setAttribute("role", "alert");
      note.textContent = text;
      question.append(note);
      first = first ?? steps.findIndex(step => step.contains(question));
    }
    if (first !== null && first >= 0) show(first);
  }

  const saved = read();
  if (saved && editable) {
    restore(saved.answers || {});
    status.textContent = form.dataset.draft;
  }
  if (steps.length > 1 && !form.querySelector(".is-invalid")) show(0);
  else if (steps.length > 1) show(steps.findIndex(step => step.querySelector(".is-invalid")));
  if (editable) {
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    prev?.addEventListener("click", () => { show(current - 1); window.scrollTo(0, 0); });
    next?.addEventListener("click", () => { show(current + 1); window.scrollTo(0, 0); });
    form.addEventListener("submit", event => { event.preventDefault(); keep(); sendDraft(); });
    window.addEventListener("online", () => { if (read()?.pending) sendDraft(); });
    if (saved?.pending) sendDraft();  // the tab was closed, or the signal lost, before the server had them
  }
}
