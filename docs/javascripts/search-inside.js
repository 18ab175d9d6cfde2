// The header search (Material's) finds pages, councils, themes and letter summaries; the text
// of the letters is kept out of its index. This adds, under its results, a link that takes the
// same words to the letter finder: "Search inside letters for “…”" → /find/?q=….
//
// The link sits between Material's result count and its list, so the arrow keys reach it as
// they reach the results. Material's Enter key opens the highest-scoring result: the link
// scores below every real result, so Enter opens it only when there is nothing else.

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
  update();
})();
