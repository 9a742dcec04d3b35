/* The participant's schedule: today's tab first, the running and the next session marked (from the
   phone's clock, so it stays right offline), and a service worker that keeps the page for offline use. */
(function () {
  "use strict";
  var root = document.querySelector(".personal");
  if (!root) return;
  var PAGES = "retret-pages";
  var tabs = Array.prototype.slice.call(document.querySelectorAll(".day-tabs [data-day]"));
  var panels = Array.prototype.slice.call(document.querySelectorAll(".day-panel"));

  function show(day) {
    tabs.forEach(function (tab) {
      var on = tab.dataset.day === day;
      tab.classList.toggle("active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
    });
    panels.forEach(function (panel) { panel.classList.toggle("d-none", panel.dataset.day !== day); });
  }
  tabs.forEach(function (tab) { tab.addEventListener("click", function () { show(tab.dataset.day); }); });

  function programDate(now) {
    // YYYY-MM-DD in the program's own zone (WIB/WITA/WIT), whatever the phone's zone.
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: root.dataset.tz, year: "numeric", month: "2-digit", day: "2-digit"
    }).format(now);
  }

  function mark() {
    var now = Date.now() / 1000;
    var next = null;
    document.querySelectorAll(".session").forEach(function (el) {
      var start = +el.dataset.start, end = +el.dataset.end;
      var badge = el.querySelector(".status-badge");
      el.classList.remove("running", "next", "past");
      badge.className = "badge status-badge d-none";
      if (start <= now && now < end) {
        el.classList.add("running");
        badge.textContent = root.dataset.labelRunning;
        badge.className = "badge status-badge text-bg-success";
      } else if (end <= now) {
        el.classList.add("past");
      } else if (!next || start < +next.dataset.start) {
        next = el;
      }
    });
    if (next) {
      var badge = next.querySelector(".status-badge");
      next.classList.add("next");
      badge.textContent = root.dataset.labelNext;
      badge.className = "badge status-badge text-bg-primary";
    }
  }

  var today = programDate(new Date());
  if (panels.some(function (panel) { return panel.dataset.day === today; })) show(today);
  mark();
  setInterval(mark, 30000);

  // When the page was last loaded from the server: now when it came from the network, else what the
  // phone remembered (the service worker marks a copy it served from its cache).
  var fromCache = root.dataset.served === "cache";
  var loadedKey = "retret-loaded:" + location.pathname;
  var loadedAt = "";
  try {
    if (navigator.onLine && !fromCache) {
      loadedAt = new Intl.DateTimeFormat(document.documentElement.lang || "id", {
        timeZone: root.dataset.tz, day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit"
      }).format(new Date()) + " " + root.dataset.tzLabel;
      localStorage.setItem(loadedKey, loadedAt);
    } else {
      loadedAt = localStorage.getItem(loadedKey) || "";
    }
  } catch (e) { /* private mode: no storage, no time shown */ }
  document.querySelectorAll(".loaded-at").forEach(function (el) { el.textContent = loadedAt; });

  function connection() {
    var banner = document.getElementById("offline-banner");
    if (banner) banner.classList.toggle("d-none", navigator.onLine && !fromCache);
  }
  window.addEventListener("online", connection);
  window.addEventListener("offline", connection);
  connection();

  if ("serviceWorker" in navigator && window.caches && navigator.onLine) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: "/p/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      // The first visit is not yet under the worker's control: keep this page explicitly.
      return caches.open(PAGES).then(function (cache) { return cache.add(location.href); });
    }).then(function () {
      document.documentElement.dataset.offlineReady = "1";
    }).catch(function () { /* offline use is a bonus: the page works without it */ });
  }
})();
