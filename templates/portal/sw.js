/* Retret service worker (scope /p/): personal pages network-first with the last copy as fallback,
   static files cache-first. */
var ASSETS = "retret-assets-{{ version }}";
var PAGES = "retret-pages";
var PRECACHE = [{% for asset in assets %}"{{ asset|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (cache) { return cache.addAll(PRECACHE); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key.indexOf("retret-assets-") === 0 && key !== ASSETS; })
      .map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(ASSETS).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
  } else if (url.pathname.indexOf("/p/") === 0 && request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      // No network (or too weak): the last copy, marked so that the page says it is not fresh.
      return caches.open(PAGES).then(function (cache) {
        return cache.match(request, { ignoreVary: true });
      }).then(function (hit) {
        if (!hit) return hit;
        return hit.text().then(function (html) {
          return new Response(html.replace('data-served="network"', 'data-served="cache"'), {
            headers: { "Content-Type": "text/html; charset=utf-8" }
          });
        });
      });
    }));
  }
});
