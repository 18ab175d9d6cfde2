// The letter finder's loader. The build links it from the <head> of /find/, before the style
// sheets, after the facts of the index (#finder-index, JSON; site/finder_index.py).
// It makes Pagefind, once, for finder.js (window.finderPagefind), and a second Pagefind in a
// worker that counts the filters' values (window.finderPagefindCounter): counting needs every
// filter's index and a search more, which would otherwise hold up the page's own thread just
// after the first results are shown. When the address already
// holds words (?q=), it starts at once, while the page's style sheets and scripts load: it
// fetches Pagefind's code, entry point, metadata and WebAssembly side by side, then the index
// of those words.
(() => {
  "use strict";

  const index = JSON.parse(document.getElementById("finder-index").textContent);
  let loading = null;

  window.finderPagefind = () => {
    loading ||= import(new URL(`${index.bundle}pagefind.js`, document.baseURI).href).then(
      ({ createInstance }) =>
        createInstance({
          // On the page's own thread: a worker could not use the files preloaded here, and a
          // search takes a few milliseconds.
          noWorker: true,
          // Pagefind's entry point is then asked for at the address preloaded here, and a new
          // index is never read from an old cache.
          metaCacheTag: index.version,
          baseUrl: new URL(index.root, document.baseURI).pathname,
          excerptLength: 30,
          // Each result's address carries the searched words: the letter's page marks them.
          highlightParam: "found",
        }),
    );
    return loading;
  };

  let counting = null;
  window.finderPagefindCounter = () => {
    counting ||= import(new URL(`${index.bundle}pagefind.js`, document.baseURI).href).then(
      ({ createInstance }) =>
        createInstance({
          metaCacheTag: index.version,
          baseUrl: new URL(index.root, document.baseURI).pathname,
          excerptLength: 1, // its results are only counted, never shown
        }),
    );
    return counting;
  };

  const words = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (!words) return;
  for (const file of index.preload) {
    const link = document.createElement("link");
    Object.assign(link, { rel: "preload", as: "fetch", crossOrigin: "anonymous" });
    link.href = new URL(`${index.bundle}${file}`, document.baseURI).href;
    document.head.append(link);
  }
  window
    .finderPagefind()
    .then((pagefind) => pagefind.preload(words))
    .catch(() => {}); // finder.js reports a failure when it searches
})();
