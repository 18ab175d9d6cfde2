// "Subscribe to these results" on the letter finder (/find/): a link to the Atom feed of the
// filters chosen, when there is one. Feeds exist for one value of council, theme or year, and
// for one value each of two of them (scripts/finalletters/site/subscriptions.py says why);
// /find/feeds/index.json lists them. The finder keeps its state in the address, so after each
// search (its status line changes) this reads the address again. Text is only set as text.

(() => {
  "use strict";

  const finder = document.getElementById("finder");
  const box = document.getElementById("finder-subscribe");
  const status = document.getElementById("finder-status");
  if (!finder || !box || !status) return;
  const root = new URL(finder.dataset.root, document.baseURI);
  const FACETS = ["council", "theme", "year"];
  // The finder's other filters (what the letter says, CQC statement, …) have no feeds.
  const OTHERS = [...finder.querySelectorAll(".fl-finder__group")]
    .map((group) => group.dataset.key)
    .filter((key) => !FACETS.includes(key));

  // The list of feeds is fetched when a filter is first chosen: a search for words alone
  // needs none of it, and nothing is fetched before its first result that it does not need.
  let index = null;
  let loading = null;
  function loadIndex() {
    loading ||= fetch(new URL("find/feeds/index.json", root))
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        index = data && { ...data, feeds: new Set(data.feeds) };
        update();
      })
      .catch(() => {});
  }

  function feedFor(params) {
    if (OTHERS.some((key) => params.has(key))) return null;
    const parts = [];
    for (const key of FACETS) {
      const values = params.getAll(key);
      if (values.length > 1) return null;
      if (!values.length) continue;
      const slug = key === "year" ? values[0] : index[key][values[0]];
      if (!slug) return null;
      parts.push(`${key}-${slug}`);
    }
    if (!parts.length || parts.length > 2) return null;
    const name = parts.join(".");
    return index.feeds.has(name) ? `find/feeds/${name}.xml` : null;
  }

  function update() {
    const params = new URL(window.location.href).searchParams;
    const chosen = FACETS.some((key) => params.has(key)) || OTHERS.some((key) => params.has(key));
    if (!index) {
      if (chosen) loadIndex();
      return;
    }
    const feed = chosen ? feedFor(params) : null;
    const p = document.createElement("p");
    if (feed) {
      const a = document.createElement("a");
      a.href = new URL(feed, root).href;
      a.type = "application/atom+xml";
      a.textContent = "Subscribe to these results";
      p.append(a, " (an Atom feed of new letters with these filters");
      p.append(params.get("q") ? "; it follows the filters, not the words)." : ").");
    } else if (chosen) {
      p.textContent =
        "Feeds follow one council, theme or year, or one value each of two of them: choose " +
        "fewer filters to subscribe.";
    }
    box.replaceChildren(...(p.childNodes.length ? [p] : []));
    box.hidden = !p.childNodes.length;
  }

  new MutationObserver(update).observe(status, { childList: true, characterData: true, subtree: true });
  update();
})();
