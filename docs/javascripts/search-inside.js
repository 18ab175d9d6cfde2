// The header search (Material's) finds pages, councils, themes and letter summaries by their
// titles and summaries; the text of the letters is kept out of its index, and its count says
// so ("pages with these words in their title or summary"). This adds, above its results, a
// link that takes the same words to the letter finder: "Search inside letters for “…”" →
// /find/?q=…. Enter in the search box goes there too, so that the number of letters a reader
// is given for a word is always the finder's; the arrow keys still reach every page found.

(() => {
  "use strict";

  const input = document.querySelector("[data-md-component=search-query]");
  const results = document.querySelector("[data-md-component=search-result]");
  const config = document.getElementById("__config");
  if (!input || !results || !config || results.querySelector(".fl-search-inside")) return;

  let base;
  try {
    base = new URL(JSON.parse(config.textContent).base.replace(/\/?$/, "/"), document.baseURI);
  } catch {
    return;
  }

  // Built as Material builds a result, so that it looks like one.
  const wrapper = document.createElement("div");
  wrapper.className = "md-search-result__item fl-search-inside";
  wrapper.hidden = true;
  const link = document.createElement("a");
  link.className = "md-search-result__link";
  link.href = new URL("find/", base).href;
  const article = document.createElement("article");
  article.className = "md-search-result__article md-typeset";
  article.setAttribute("data-md-score", "-1");
  const icon = document.createElement("div");
  icon.className = "md-search-result__icon md-icon";
  const label = document.createElement("div");
  label.className = "fl-search-inside__label";
  article.append(icon, label);
  link.append(article);
  wrapper.append(link);
  results.insertBefore(wrapper, results.lastElementChild);

  function update() {
    const words = input.value.trim();
    wrapper.hidden = !words;
    if (!words) return;
    link.href = new URL(`find/?q=${encodeURIComponent(words)}`, base).href;
    label.textContent = `Search inside letters for “${words}”`;
    // Material's result markup (a heading inside an article) gives a link no name of its own.
    link.setAttribute("aria-label", label.textContent);
  }

  input.addEventListener("input", update);
  input.addEventListener("focus", update);
  // Enter in the box itself (not on a result the arrow keys chose): the finder. Caught here,
  // before Material's own handler on the window, which would open the best-scoring page.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing || !input.value.trim()) return;
    event.preventDefault();
    event.stopPropagation();
    update();
    window.location.assign(link.href);
  });
  update();
})();
