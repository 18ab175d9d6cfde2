// Material's storage helpers, as its base template defines them inline: the site's scope
// (its root, worked out from this file's own address, javascripts/md-scope.js), a hash, and
// reading and writing localStorage under that scope. A file, so that the pages' Content
// Security Policy can refuse every inline script. Loaded in <head>, before Material's bundle.
// It also marks the page as having JavaScript (<html class="js">, as Material's bundle does
// later), so that controls only scripts can drive are shown from the first paint, with no
// layout shift, and stay hidden without JavaScript (site.css, `.no-js`).
document.documentElement.classList.replace("no-js", "js");
/* eslint-disable no-var */
var __md_scope = new URL("..", document.currentScript.src);
var __md_hash = (value) => [...value].reduce((hash, c) => (hash << 5) - hash + c.charCodeAt(0), 0);
var __md_get = (key, storage = localStorage, scope = __md_scope) =>
  JSON.parse(storage.getItem(`${scope.pathname}.${key}`));
var __md_set = (key, value, storage = localStorage, scope = __md_scope) => {
  try {
    storage.setItem(`${scope.pathname}.${key}`, JSON.stringify(value));
  } catch {
    // storage full or refused: Material then simply does not remember
  }
};
