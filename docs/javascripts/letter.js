// A letter's page (scripts/finalletters/site/templates/letter.html), made a little handier:
// - arriving from the letter finder (the address carries ?found=word for each searched word),
//   the words are marked in the letter's text and a "Back to results" link returns to the
//   finder as it was left;
// - the citation under "Cite" gets a button that copies it.
// Everything here is an addition: without JavaScript the page is complete. A file, not an
// inline script: the pages' Content Security Policy refuses inline scripts.

(() => {
  "use strict";

  const RETURN_KEY = "finalLetters.finder"; // the finder's address, kept by finder.js
  const MARKS = 200; // at most this many words are marked, for a long letter and a common word

  const article = document.querySelector(".fl-letter");
  if (!article) return;

  const words = new URLSearchParams(window.location.search)
    .getAll("found")
    .flatMap((value) => value.split(/\s+/))
    .map((word) => word.replace(/[^\p{L}\p{N}'’-]/gu, ""))
    .filter((word) => word.length > 1);

  if (words.length) {
    backLink(words);
    highlight(article.querySelector(".fl-body"), words);
  }
  copyButton(article.querySelector(".fl-cite"));

  function backLink(found) {
    let href = "";
    try {
      href = window.sessionStorage.getItem(RETURN_KEY) || "";
    } catch {
      href = "";
    }
    // The site's root, as md-scope.js works it out for Material.
    const root = window.__md_scope || new URL("../../../", document.baseURI);
    const finder = new URL("find/", root);
    const back = href && new URL(href, document.baseURI).pathname === finder.pathname ? href : "";
    if (!back) finder.searchParams.set("q", found.join(" "));
    const link = document.createElement("a");
    link.className = "fl-back";
    link.href = back || finder.href;
    link.textContent = "Back to results";
    article.querySelector("h1").before(link);
  }

  // Wrap each word of the letter's text that starts with a searched word in <mark>, text node
  // by text node: the letter's markup is never parsed again.
  function highlight(body, found) {
    if (!body) return;
    const escaped = found.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join("|")})[\\p{L}\\p{N}'’-]*`, "giu");
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    let marked = 0;
    for (const node of nodes) {
      if (marked >= MARKS) break;
      const text = node.nodeValue;
      pattern.lastIndex = 0;
      if (!pattern.test(text)) continue;
      pattern.lastIndex = 0;
      const parts = document.createDocumentFragment();
      let last = 0;
      for (const match of text.matchAll(pattern)) {
        if (marked >= MARKS) break;
        parts.append(text.slice(last, match.index));
        const mark = document.createElement("mark");
        mark.className = "fl-found";
        mark.textContent = match[0];
        parts.append(mark);
        last = match.index + match[0].length;
        marked += 1;
      }
      parts.append(text.slice(last));
      node.replaceWith(parts);
    }
  }

  function copyButton(box) {
    if (!box || !navigator.clipboard) return;
    const text = box.querySelector(".fl-cite__text");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fl-cite__copy";
    button.textContent = "Copy the citation";
    const said = document.createElement("span");
    said.className = "fl-visually-hidden";
    said.setAttribute("role", "status");
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(text.innerText.trim()).then(
        () => {
          button.textContent = "Copied";
          said.textContent = "The citation has been copied.";
        },
        () => {
          said.textContent = "The citation could not be copied: select it and copy it instead.";
        },
      );
    });
    box.append(button, said);
  }
})();
