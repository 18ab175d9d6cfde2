// Material's header search downloads the whole search index as soon as any page loads. On a
// large collection that is megabytes no reader asked for. This holds that one request back
// until someone opens the search (click, keyboard shortcut, focus, or a ?q= link), so reading a
// page costs only the page. It must run before Material's bundle: it is loaded in <head>.
(() => {
  "use strict";
  const INDEX = /\/search\/search_index\.json$/;
  const { open, send } = XMLHttpRequest.prototype;
  const held = [];
  let wanted = new URLSearchParams(location.search).has("q");

  function release() {
    if (wanted && !held.length) return;
    wanted = true;
    for (const go of held.splice(0)) go();
  }

  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.flHeld = INDEX.test(new URL(String(url), location.href).pathname);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.flHeld && !wanted) {
      held.push(() => send.apply(this, args));
      return undefined;
    }
    return send.apply(this, args);
  };

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
