// QR check-in: the phone's camera reads the QR of an ID card or a personal page (both hold the personal
// link); each person is checked in through the offline-safe queue with a beep, a vibration and their name
// shown for a second. A photo of a QR can be read too, where the camera is not available.
import QrScanner from "../vendor/qr-scanner/qr-scanner.min.js";
import {createQueue, showCounts, showQueueState} from "./queue.js";

const root = document.querySelector(".scan");
const card = root.querySelector(".scan-card");
const queueState = root.querySelector(".queue-state");
const TOKEN = /\/p\/([A-Za-z0-9_-]{16,})\/?/;
const recent = new Map();  // token -> when it was last read: the camera sees a code many times a second

let audio;
function beep(ok) {
  try {
    audio = audio || new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = ok ? 880 : 220;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.12);
  } catch (e) { /* no sound on this phone */ }
  if (navigator.vibrate) navigator.vibrate(ok ? 80 : [80, 60, 80]);
}

let hideTimer;
function show(text, tone) {
  card.textContent = text;
  card.className = `scan-card alert alert-${tone} text-center fw-semibold`;
  card.hidden = false;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => { card.hidden = true; }, 1500);
}

const queue = createQueue({
  url: root.dataset.syncUrl,
  user: root.dataset.user,
  onResults(data) {
    for (const result of data.results) {
      const tone = {saved: "success", unchanged: "info", duplicate: "info", kept: "info"}[result.outcome] || "danger";
      show(result.message, tone);
      beep(tone !== "danger");
    }
    showCounts(root, data.counts);
  },
  onState: (waiting, offline) => showQueueState(root, queueState, waiting, offline),
});

function read(text, chosen = false) {
  const match = TOKEN.exec(text || "");
  if (!match) { show(root.dataset.notPersonal, "warning"); beep(false); return; }
  const token = match[1], now = Date.now();
  if (!chosen && now - (recent.get(token) || 0) < 4000) return;  // a photo is always read: it was chosen
  recent.set(token, now);
  queue.add({token, status: "", note: "", method: "qr"});
  if (!navigator.onLine) { show(root.dataset.queued, "secondary"); beep(true); }
}

const video = root.querySelector("video");
if (video && navigator.mediaDevices) {
  const scanner = new QrScanner(video, result => read(result.data), {preferredCamera: "environment", maxScansPerSecond: 8});
  scanner.start().catch(() => {
    video.hidden = true;
    root.querySelector(".camera-missing").hidden = false;
  });
}

root.querySelector(".scan-photo").addEventListener("change", async event => {
  const file = event.target.files[0];
  if (!file) return;
  try {
    const result = await QrScanner.scanImage(file, {returnDetailedScanResult: true});
    read(result.data, true);
  } catch (e) {
    show(root.dataset.noCode, "warning");
    beep(false);
  }
  event.target.value = "";
});
