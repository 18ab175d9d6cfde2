// Material's bundle makes requests as soon as any page loads that no reader asked for:
// - the header search's whole index, which grows with the number of letters, and the worker
//   that searches it (12 KB): both held back until someone opens the search (click, keyboard
//   shortcut, focus, or a ?q= link);
// - sitemap.xml, fetched for every <link rel="alternate"> on the page to map pages between a
//   site's language versions. This site has one language and uses rel="alternate" for its
//   Atom feeds, so that request is never sent.
// Reading a page then costs only the page. This must run before Material's bundle: it is
// loaded in <head>.
(() => {
  "use strict";
  const INDEX = /\/search\/search_index\.json$/;
  const SITEMAP = /\/sitemap\.xml$/;
  const SEARCH_WORKER = /\/assets\/javascripts\/workers\/search\.[\w]+\.min\.js$/;
  const { open, send } = XMLHttpRequest.prototype;
  const held = [];
  // A link may open the header search with ?q=; on the letter finder (/find/), ?q= is the
  // finder's own query, and the header search stays closed. On the finder this script is
  // loaded, with Material's, when the reader first reaches for the header (finder.js): if
  // that was to search, the reader is in the search box already.
  const finder = location.pathname.endsWith("/find/");
  const box = document.querySelector("[data-md-component='search-query']");
  const toggle = document.getElementById("__search");
  let wanted =
    (!finder && new URLSearchParams(location.search).has("q")) ||
    (box !== null && document.activeElement === box) ||
    (toggle instanceof HTMLInputElement && toggle.checked);

  function release() {
    if (wanted && !held.length) return;
    wanted = true;
    for (const go of held.splice(0)) go();
  }

  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    const path = new URL(String(url), location.href).pathname;
    this.flHeld = INDEX.test(path);
    this.flDropped = SITEMAP.test(path);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.flDropped) return undefined; // never answered: Material then maps no languages
    if (this.flHeld && !wanted) {
      held.push(() => send.apply(this, args));
      return undefined;
    }
    return send.apply(this, args);
  };

  // Material talks to its search worker by messages only: until the search is opened, it
  // talks to this stand-in, which keeps its messages and starts the real worker on release.
  const RealWorker = window.Worker;
  class HeldWorker extends EventTarget {
    constructor(url, options) {
      super();
      this.messages = [];
      this.worker = null;
      held.push(() => {
        this.worker = new RealWorker(url, options);
        for (const type of ["message", "messageerror", "error"]) {
          this.worker.addEventListener(type, (event) =>
            this.dispatchEvent(
              type === "error" ? new Event("error") : new MessageEvent(type, { data: event.data }),
            ),
          );
        }
        for (const message of this.messages.splice(0)) this.worker.postMessage(...message);
      });
    }

    postMessage(...message) {
      if (this.worker) this.worker.postMessage(...message);
      else this.messages.push(message);
    }

    terminate() {
      if (this.worker) this.worker.terminate();
      this.messages = [];
    }
  }
  if (RealWorker) {
    window.Worker = function Worker(url, options) {
      const path = new URL(String(url), location.href).pathname;
      if (wanted || !SEARCH_WORKER.test(path)) return new RealWorker(url, options);
      return new HeldWorker(url, options);
    };
    window.Worker.prototype = RealWorker.prototype;
  }

  const opensSearch = (target) =>
    target instanceof Element &&
    (target.id === "__search" ||
      target.matches("[data-md-component='search-query']") ||
      target.closest("label[for='__search']") !== null);

  document.addEventListener("focusin", (event) => opensSearch(event.target) && release());
  document.addEventListener("click", (event) => opensSearch(event.target) && release());
  document.addEventListener("change", (event) => opensSearch(event.target) && release());
  // Material's shortcuts: "/", "s" and "f" open the search from anywhere outside a form field.
  document.addEventListener("keydown", (event) => {
    const typing = event.target instanceof Element && event.target.closest("input, textarea");
    if (!typing && ["/", "s", "f", "S", "F"].includes(event.key)) release();
  });
})();
