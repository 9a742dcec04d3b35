// Self check-in from the personal page: the code typed, or read from the room's screen with the phone's
// camera (the QR reader loads only when asked). The answer shows in place.
const box = document.querySelector(".self-checkin");
if (box && window.fetch) {
  const form = box.querySelector("form");
  const result = box.querySelector(".checkin-result");
  const video = box.querySelector("video");
  const scanButton = box.querySelector(".scan-screen");

  async function send() {
    result.className = "mt-2 checkin-result";
    result.textContent = "…";
    const body = new FormData(form);
    form.elements.session.value = "";
    try {
      const response = await fetch(form.action, {method: "POST", body, headers: {Accept: "application/json"}});
      const data = await response.json();
      result.className = `mt-2 checkin-result alert ${data.ok ? "alert-success" : "alert-danger"}`;
      result.textContent = data.message;
      if (data.ok) form.elements.code.value = "";
    } catch (error) {
      result.className = "mt-2 checkin-result alert alert-warning";
      result.textContent = box.dataset.offline;
    }
  }

  form.addEventListener("submit", event => { event.preventDefault(); send(); });
  // A code typed by hand names no session: one read from the screen's QR code did, until now.
  form.elements.code.addEventListener("input", () => { form.elements.session.value = ""; });

  if (navigator.mediaDevices) {
    scanButton.hidden = false;
    scanButton.addEventListener("click", async () => {
      const {default: QrScanner} = await import("../vendor/qr-scanner/qr-scanner.min.js");
      video.hidden = false;
      const scanner = new QrScanner(video, found => {
        const match = /^RETRET-HADIR (\d+) (\d{6})$/.exec(found.data || "");
        if (!match) return;
        scanner.stop();
        video.hidden = true;
        form.elements.session.value = match[1];
        form.elements.code.value = match[2];
        send();
      }, {preferredCamera: "environment"});
      scanner.start().catch(() => { video.hidden = true; scanButton.hidden = true; });
    });
  }
}
