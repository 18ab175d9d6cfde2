// Starts Pagefind for the letter finder (/find/) as the page's <head> is read, so that a shared
// search (?q=) is under way while the rest of the page loads: Pagefind's worker fetches its
// index, starts its WebAssembly and fetches the part of the index the words need, all off the
// page's thread. docs/javascripts/finder.js then searches with the same Pagefind, through
// window.finderPagefind(). The index's facts come from the JSON the build writes just before
// this script (scripts/finalletters/site/finder_index.py, write_facts). An async classic
// script: it never holds up the page.

(() => {
  "use strict";

  let made = null;

  // The one Pagefind of the page; its entry point is asked for with the index's version, so
  // that a new index is never read from an old cache.
  function finderPagefind() {
    made ||= (async () => {
      const facts = document.getElementById("finder-index");
      if (!facts) throw new Error("The letter finder's index was not built");
      const { version, root, bundle } = JSON.parse(facts.textContent);
      const base = new URL(bundle, document.baseURI);
      const { createInstance } = await import(new URL("pagefind.js", base).href);
      return createInstance({
        metaCacheTag: version,
        baseUrl: new URL(root, document.baseURI).pathname,
        excerptLength: 30,
        // Each result's address carries the searched words: the letter's page marks them.
        highlightParam: "found",
      });
    })();
    return made;
  }

  window.finderPagefind = finderPagefind;
  const words = new URLSearchParams(window.location.search).get("q");
  if (words && words.trim() && document.getElementById("finder-index")) {
    finderPagefind()
      .then((pagefind) => pagefind.preload(words.trim()))
      .catch(() => {}); // finder.js says so if Pagefind cannot be loaded
  }
})();
