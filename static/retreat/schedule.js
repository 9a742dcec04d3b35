/* The participant's schedule: today's tab first, the running and the next session marked and summed up at
   the top of the page (from the phone's clock, so it stays right offline: the page is laid out once for many
   participants and kept, so nothing of "now" comes from the server), a session's details opened from the
   summary, and a service worker that keeps the page for offline use. */
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
    var running = [], next = [];
    document.querySelectorAll(".session").forEach(function (el) {
      var start = +el.dataset.start, end = +el.dataset.end;
      var badge = el.querySelector(".status-badge");
      el.classList.remove("running", "next", "past");
      badge.className = "badge status-badge d-none";
      if (start <= now && now < end) {
        el.classList.add("running");
        badge.textContent = root.dataset.labelRunning;
        badge.className = "badge status-badge text-bg-success";
        running.push(el);
      } else if (end <= now) {
        el.classList.add("past");
      } else if (!next.length || start < +next[0].dataset.start) {
        next = [el];
      } else if (start === +next[0].dataset.start) {
        next.push(el);  // sessions side by side: all of them are next
      }
    });
    next.forEach(function (el) {
      var badge = el.querySelector(".status-badge");
      el.classList.add("next");
      badge.textContent = root.dataset.labelNext;
      badge.className = "badge status-badge text-bg-primary";
    });
    summarize(running, next);
  }

  // "Now / next" at the top of the page: what runs and what comes next, each a link to its card below.
  var summary = document.getElementById("now-next");

  function dayOf(session) {
    var panel = session.closest(".day-panel");
    return panel ? panel.dataset.day : "";
  }

  function item(session, running) {
    var link = document.createElement("a");
    link.className = "now-next-item d-block text-reset text-decoration-none " + (running ? "running" : "next");
    link.href = "#" + session.id;
    link.dataset.session = session.id;
    var head = document.createElement("div");
    head.className = "d-flex flex-wrap align-items-baseline gap-2";
    var badge = document.createElement("span");
    badge.className = "badge " + (running ? "text-bg-success" : "text-bg-primary");
    badge.textContent = running ? root.dataset.labelRunning : root.dataset.labelNext;
    var time = document.createElement("span");
    time.className = "fw-bold now-next-time";
    var when = session.querySelector(".session-time").textContent;
    var panel = session.closest(".day-panel");
    if (!running && dayOf(session) !== programDate(new Date()) && panel) {
      when = panel.querySelector("h3").textContent + ", " + when;  // not today: its date too
    }
    time.textContent = when;
    head.append(badge, time);
    var title = document.createElement("div");
    title.className = "fs-5 fw-semibold now-next-title";
    title.textContent = session.querySelector(".session-title").textContent;
    link.append(head, title);
    var where = session.querySelectorAll(".venue, .dress");
    if (where.length) {
      var badges = document.createElement("div");
      badges.className = "d-flex flex-wrap align-items-center gap-2 mt-1";
      where.forEach(function (el) { badges.append(el.cloneNode(true)); });
      link.append(badges);
    }
    return link;
  }

  var summarized = null;

  function summarize(running, next) {
    if (!summary) return;
    var today = programDate(new Date());
    var state = today + running.concat([null], next).map(function (el) { return el ? el.id : "|"; }).join(",");
    if (state === summarized) return;  // unchanged: don't disturb a screen reader every 30 seconds
    summarized = state;
    var items = [];
    if (!running.length && next.length && panels.some(function (panel) { return panel.dataset.day === today; })) {
      var nothing = document.createElement("p");
      nothing.className = "small text-secondary mb-0 now-next-nothing";
      nothing.textContent = summary.dataset.labelNothing;
      items.push(nothing);
    }
    running.forEach(function (session) { items.push(item(session, true)); });
    next.forEach(function (session) { items.push(item(session, false)); });
    var list = summary.querySelector(".now-next-items");
    list.replaceChildren.apply(list, items);
    summary.hidden = !running.length && !next.length;  // after the program's last session: nothing to say
  }

  function reveal(session) {
    show(dayOf(session));
    var details = session.querySelector("details.session-details");
    if (details) details.open = true;
    session.scrollIntoView({ block: "start" });
  }

  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("[data-session]");
      var session = link && document.getElementById(link.dataset.session);
      if (!session) return;
      event.preventDefault();
      reveal(session);
    });
  }

  var today = programDate(new Date());
  if (panels.some(function (panel) { return panel.dataset.day === today; })) show(today);
  mark();
  setInterval(mark, 30000);
  document.addEventListener("visibilitychange", function () {
    // A phone woken up the next morning: today's tab again, and what runs now.
    if (document.visibilityState !== "visible") return;
    var day = programDate(new Date());
    if (day !== today && panels.some(function (panel) { return panel.dataset.day === day; })) show(day);
    today = day;
    mark();
  });

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
