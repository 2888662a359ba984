/* Imbizo field app service worker (served at /field/sw.js, scope /field/).

   Keeps the app shell for offline use (cache first: the app opens at once,
   with or without signal), and the last bootstrap answer (the forms and the
   ward list: network first, the kept copy when offline). Records are never
   handled here: the page sends them from IndexedDB (outbox.js), so a record
   is only ever in one place and the page sees every answer. */
"use strict";

const CACHE = {{ cache_name|safe }};
const SHELL = {{ shell|safe }};
const APP = {{ app_url|safe }};
const API = {{ api_prefix|safe }};
const BOOTSTRAP = {{ bootstrap_url|safe }};
const DATA_CACHE = "imbizo-field-data";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, {cache: "reload"}))))
      .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("imbizo-field-") && name !== CACHE && name !== DATA_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === BOOTSTRAP) {
    event.respondWith(networkFirst(request));
    return;
  }
  if (url.pathname.startsWith(API)) return;
  if (request.mode === "navigate" && url.pathname === APP) {
    event.respondWith(cacheFirst(APP));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(url.pathname));
  }
});

async function cacheFirst(key) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(key);
  if (kept) return kept;
  const response = await fetch(key);
  if (response.ok) await cache.put(key, response.clone());
  return response;
}

// The bootstrap answer is kept per device token: a phone handed to another
// worker never shows the first one's wards.
async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  const key = BOOTSTRAP + "?for=" + await fingerprint(request.headers.get("Authorization") || "");
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    else if (response.status === 401) await cache.delete(key);
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

async function fingerprint(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
