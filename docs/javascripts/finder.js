// The letter finder (/find/): searches inside every letter with Pagefind's JavaScript API.
//
// The markup is ours (scripts/finalletters/site/finder.py writes the page): labelled controls,
// one fieldset per filter with counts in the labels, removable filter chips, the result count
// in a polite live region. Pagefind fetches only the parts of its index that a query needs.
// Pagefind runs in its web worker, started from the page's <head> (finder-start.js): when the
// address holds words, the worker fetches and prepares the part of the index they need while
// the page loads; without words, Pagefind is loaded when the reader first types. The search
// itself is made once the page has been painted. The first result is shown before anything
// else is fetched; the filters' counts follow the results. Material's own scripts are not
// needed to find letters: on this page they are loaded when the reader first reaches for the
// header or the navigation (see loadMaterialOnDemand), so that nothing of theirs runs before,
// or between, the results.
// Filtering without words uses the small listing of letters beside this page
// (/find/letters.json), since Pagefind would fetch its whole index for that. Values within a
// filter are alternatives (any of them); different filters must all hold.
// Results come before the filters in the page, so that the first result is a few Tab presses
// from the search box. On a narrow screen the filters fold behind a "Filter (n selected)"
// button, and the filters are moved to just after it; on a wide one they stand beside the
// results. Each result shows its themes (those matching the search first) and its number of
// recommendations, and quotes whole sentences of the letter's own text: an excerpt is cut at
// the sentence (and the block) its words are in, from Pagefind's text of the page.
// Text from the index is only ever set as text: excerpts are built node by node, each marked
// word a <mark>, and nothing else.
// A result's link carries the searched words (?found=…): the letter's page marks them and
// offers "Back to results" (letter.js), to the address this page keeps in sessionStorage.
//
// A classic script, not a module, loaded at the end of the page's content.

(() => {
  "use strict";

  const PAGE_SIZE = 20;
  const PASSAGES = 3; // passages linked per letter
  const THEMES_SHOWN = 4; // themes named on a result before "and n more"
  const SENTENCE_WORDS = 45; // a longer sentence is cut to a window around its first match
  const WINDOW_WORDS = 32;
  const TYPING_DELAY = 300; // ms after the last key press before searching
  const RETURN_KEY = "finalLetters.finder"; // read by letter.js for "Back to results"
  const NARROW = window.matchMedia("(max-width: 59.9375em)"); // finder.css's breakpoint
  const SORTS = {
    newest: { date: "desc" },
    oldest: { date: "asc" },
  };
  // Made when first needed, after the first results: making a collator costs more than using it.
  let sorter = null;
  const collator = () => (sorter ||= new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" }));
  const MONTHS = "January February March April May June July August September October November December".split(" ");

  const address = window.location.href; // as the page was opened, before the finder edits it

  // Material's scripts, on this page, wait in a <template> (docs/overrides/main.html) until
  // the reader first reaches for the header or the navigation: a pointer or a finger on it,
  // focus in it, or one of Material's keyboard shortcuts. They are then added in order, and
  // told that the document is ready, which is when Material starts (it waits for
  // DOMContentLoaded). Until then the header's links and the navigation drawer work without
  // them (Material makes both from links and a checkbox). Material's header search reads ?q=
  // as it starts, and would open with the finder's words: q is taken out of the address for
  // that moment and put back.
  function loadMaterialOnDemand() {
    const furniture = ".md-header, .md-sidebar, .md-search, label[for='__drawer'], label[for='__search']";
    const shortcuts = ["/", "s", "f", "S", "F", "p", "n", "."];
    let started = false;
    const load = (replay) => {
      if (started) return;
      started = true;
      for (const type of ["pointerdown", "touchstart", "focusin"]) {
        document.removeEventListener(type, onReach, true);
      }
      document.removeEventListener("keydown", onKey, true);
      const waiting = document.getElementById("fl-material"); // after this script in the page
      if (!waiting) return;
      const scripts = [...waiting.content.querySelectorAll("script")].map((old) => {
        const script = document.createElement("script");
        for (const { name, value } of old.attributes) script.setAttribute(name, value);
        script.async = false; // in order, as they were written
        return script;
      });
      if (!scripts.length) return;
      // Material reads ?q= as its bundle runs: q is out of the address until it has started.
      const shown = window.location.href;
      const hidden = new URL(shown);
      hidden.searchParams.delete("q");
      window.history.replaceState(null, "", hidden.href);
      scripts[scripts.length - 1].addEventListener("load", () => {
        document.dispatchEvent(new Event("DOMContentLoaded"));
        window.setTimeout(() => {
          if (window.location.href === hidden.href) window.history.replaceState(null, "", shown);
          if (replay) window.dispatchEvent(new KeyboardEvent("keydown", replay));
        });
      });
      document.body.append(...scripts);
    };
    const onReach = (event) => {
      if (event.target instanceof Element && event.target.closest(furniture)) load(null);
    };
    const onKey = (event) => {
      const typing = event.target instanceof Element && event.target.closest("input, select, textarea");
      if (!typing && shortcuts.includes(event.key)) load({ key: event.key, bubbles: true });
    };
    for (const type of ["pointerdown", "touchstart", "focusin"]) {
      document.addEventListener(type, onReach, { capture: true, passive: true });
    }
    document.addEventListener("keydown", onKey, true);
  }

  // Resolves once the page has been parsed and painted, so that the reader sees the page
  // before any search work starts (and the deferred scripts have run).
  function afterFirstPaint() {
    return new Promise((resolve) => {
      const painted = () => {
        const timer = window.setTimeout(resolve, 100); // a hidden page paints no frames
        window.requestAnimationFrame(() => {
          window.clearTimeout(timer);
          window.setTimeout(resolve);
        });
      };
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", painted, { once: true });
      } else painted();
    });
  }

  async function start(root) {
    const ui = elements(root);
    root.hidden = false;
    const state = readState(ui);
    showState(ui, state);
    renderChips(ui, state); // before the results, so that nothing moves when they arrive
    for (const group of ui.groups) {
      const chosen = state.filters[group.key] || [];
      if (chosen.length) group.el.open = true;
      for (const box of group.list.querySelectorAll("input")) box.checked = chosen.includes(box.value);
    }
    placeFilters(ui);
    NARROW.addEventListener("change", () => placeFilters(ui));
    const runner = new Runner(ui, state);
    wire(ui, state, runner);
    await afterFirstPaint();
    if (!(await runner.run())) failed(ui);
  }

  // Narrow: the filters just after their button, folded until it is pressed (finder.css
  // folds them from the first paint). Wide: beside the results, after them in the page.
  function placeFilters(ui) {
    if (NARROW.matches) ui.toggle.after(ui.filters);
    else ui.output.after(ui.filters);
  }

  // Pagefind, in its web worker (made by finder-start.js in the page's <head>, which has
  // started on a shared search while the page loaded): the worker fetches the index, searches
  // it, builds each result's data and counts the filters' values, so that the page's thread
  // only shows them (Pagefind falls back to the page's thread where there is no worker).
  async function makePagefind() {
    if (typeof window.finderPagefind !== "function") {
      throw new Error("The letter finder's index was not built");
    }
    return window.finderPagefind();
  }

  // The listing of every letter (finder.py's `listing`), as objects.
  async function loadListing(root) {
    const response = await fetch(new URL(root.dataset.listing, document.baseURI));
    if (!response.ok) throw new Error(`${response.status} ${response.url}`);
    const { keys, values, letters } = await response.json();
    const siteRoot = new URL(root.dataset.root, document.baseURI);
    return letters.map(([url, title, date, recommendations, indexes]) => {
      const filters = {};
      keys.forEach((key, n) => {
        filters[key] = indexes[n].map((i) => values[key][i]);
      });
      return {
        url: new URL(url, siteRoot).pathname,
        meta: { title, date, recommendations: String(recommendations) },
        filters,
      };
    });
  }

  // --- the page's elements ----------------------------------------------------------------

  function elements(root) {
    const groups = [...root.querySelectorAll(".fl-finder__group")].map((el) => ({
      key: el.dataset.key,
      order: el.dataset.order,
      legend: el.querySelector("legend").textContent,
      el,
      list: el.querySelector(".fl-finder__options"),
      selected: el.querySelector(".fl-finder__selected"),
      none: el.querySelector(".fl-finder__none"),
      // value → the number in its checkbox's id, stable for the page's life; the build
      // writes the first ones (finder-council-1, …)
      ids: new Map(
        [...el.querySelectorAll(".fl-finder__options > li")].map((li, n) => [li.dataset.value, n + 1]),
      ),
    }));
    return {
      root,
      form: root.querySelector("form"),
      q: root.querySelector("#finder-q"),
      sort: root.querySelector("#finder-sort"),
      filters: root.querySelector("#finder-filters"),
      toggle: root.querySelector("#finder-toggle"),
      toggleCount: root.querySelector(".fl-finder__toggle-count"),
      output: root.querySelector(".fl-finder__output"),
      groups,
      applied: root.querySelector("#finder-applied"),
      chips: root.querySelector(".fl-finder__chips"),
      clear: root.querySelector("#finder-clear"),
      status: root.querySelector("#finder-status"),
      empty: root.querySelector("#finder-empty"),
      results: root.querySelector("#finder-results"),
      more: root.querySelector("#finder-more"),
      heading: root.querySelector("#results"),
    };
  }

  function failed(ui) {
    ui.form.hidden = true;
    ui.filters.hidden = true;
    ui.toggle.hidden = true;
    ui.status.textContent = "";
    const base = ui.root.dataset.root;
    const p = el("p", { class: "fl-finder__error" }, [
      "The letter finder could not be loaded. You can still browse letters by ",
      el("a", { href: `${base}authorities/` }, ["council"]),
      ", by ",
      el("a", { href: `${base}themes/` }, ["theme"]),
      " or by ",
      el("a", { href: `${base}years/` }, ["year"]),
      ".",
    ]);
    ui.status.replaceChildren(p);
  }

  // --- state in the address bar -----------------------------------------------------------

  function readState(ui) {
    const params = new URL(address).searchParams;
    const filters = {};
    for (const group of ui.groups) {
      const values = params.getAll(group.key).filter(Boolean);
      if (values.length) filters[group.key] = [...new Set(values)];
    }
    const sort = params.get("sort");
    return {
      q: (params.get("q") || "").trim(),
      sort: sort in SORTS ? sort : "",
      filters,
    };
  }

  function writeState(ui, state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const group of ui.groups) {
      for (const value of sorted(state.filters[group.key] || [], group.order)) {
        params.append(group.key, value);
      }
    }
    if (state.sort) params.set("sort", state.sort);
    const query = params.toString();
    const url = window.location.pathname + (query ? `?${query}` : "") + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function showState(ui, state) {
    ui.q.value = state.q;
    showSort(ui, state);
  }

  function showSort(ui, state) {
    // Relevance needs words to be relevant to: without them, letters come newest first.
    const relevance = ui.sort.querySelector('option[value=""]');
    relevance.disabled = !state.q;
    ui.sort.value = state.sort || (state.q ? "" : "newest");
  }

  function filterCount(state) {
    return Object.values(state.filters).reduce((n, values) => n + values.length, 0);
  }

  // --- controls -----------------------------------------------------------------------------

  function wire(ui, state, runner) {
    let timer = 0;
    const search = () => {
      window.clearTimeout(timer);
      const q = ui.q.value.trim();
      if (q === state.q) return;
      state.q = q;
      showSort(ui, state);
      writeState(ui, state);
      runner.run();
    };
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      search();
    });
    ui.q.addEventListener("focus", () => runner.pagefind().catch(() => {}), { once: true });
    ui.q.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, TYPING_DELAY);
    });
    ui.sort.addEventListener("change", () => {
      state.sort = ui.sort.value in SORTS ? ui.sort.value : "";
      writeState(ui, state);
      runner.run();
    });
    ui.filters.addEventListener("change", (event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
      setFilter(state, box.name, box.value, box.checked);
      writeState(ui, state);
      runner.run();
    });
    ui.chips.addEventListener("click", (event) => {
      const chip = event.target.closest("button");
      if (!chip) return;
      const chips = [...ui.chips.querySelectorAll("button")];
      const at = chips.indexOf(chip);
      setFilter(state, chip.dataset.key, chip.dataset.value, false);
      writeState(ui, state);
      runner.run().then(() => {
        // Focus the chip that took this one's place, else the one before, else the results.
        const left = [...ui.chips.querySelectorAll("button")];
        (left[at] || left[at - 1] || ui.heading).focus();
      });
    });
    ui.clear.addEventListener("click", () => {
      state.filters = {};
      writeState(ui, state);
      runner.run().then(() => ui.q.focus());
    });
    ui.more.addEventListener("click", () => runner.more());
    ui.toggle.addEventListener("click", () => {
      const open = ui.toggle.getAttribute("aria-expanded") !== "true";
      ui.toggle.setAttribute("aria-expanded", String(open));
      ui.root.classList.toggle("fl-finder--open", open);
    });
    // Remember where the reader was, for the letter's "Back to results".
    ui.results.addEventListener("click", (event) => {
      if (!event.target.closest("a")) return;
      try {
        window.sessionStorage.setItem(RETURN_KEY, window.location.href);
      } catch {
        // storage refused: the letter links back to a new search for the same words
      }
    });
    ui.empty.addEventListener("click", (event) => {
      if (!event.target.closest("[data-action=unfilter]")) return;
      state.filters = {};
      writeState(ui, state);
      runner.run().then(() => ui.heading.focus());
    });
  }

  function setFilter(state, key, value, on) {
    const values = new Set(state.filters[key] || []);
    if (on) values.add(value);
    else values.delete(value);
    if (values.size) state.filters[key] = [...values];
    else delete state.filters[key];
  }

  // --- searching ----------------------------------------------------------------------------

  class Runner {
    constructor(ui, state) {
      this.ui = ui;
      this.state = state;
      this.generation = 0;
      this.results = [];
      this.shown = 0;
      this.loading = {};
    }

    pagefind() {
      this.loading.pagefind ||= makePagefind();
      return this.loading.pagefind;
    }

    listing() {
      this.loading.listing ||= loadListing(this.ui.root);
      return this.loading.listing;
    }

    // Search with the current state and show everything; a newer run makes an older one stop.
    // Resolves to false when the search could not be made.
    async run() {
      const generation = ++this.generation;
      const { ui, state } = this;
      ui.results.setAttribute("aria-busy", "true");
      ui.filters.setAttribute("aria-busy", "true");
      let found;
      try {
        found = state.q ? await this.searchWords() : await this.searchListing();
      } catch (error) {
        console.error("The letter finder could not search", error);
        if (generation === this.generation) {
          ui.results.removeAttribute("aria-busy");
          ui.filters.removeAttribute("aria-busy");
          ui.status.textContent = "Sorry, the search failed. Reload the page and try again.";
        }
        return false;
      }
      if (generation !== this.generation) return true;
      this.results = found.results;
      this.shown = 0;
      renderChips(ui, state);
      ui.results.replaceChildren();
      await this.more({ focus: false, generation });
      if (generation !== this.generation) return true;
      renderStatus(ui, state, this.results.length);
      renderEmpty(ui, state, this.results.length);
      ui.results.removeAttribute("aria-busy");
      let counts = null;
      try {
        counts = found.counts || (await this.countWords());
      } catch (error) {
        console.error("The letter finder could not count the filters", error);
      }
      if (generation !== this.generation) return true;
      if (counts) renderFilters(ui, state, counts);
      ui.filters.removeAttribute("aria-busy");
      return true;
    }

    // Words: Pagefind, fetching only the index of those words (and of the filters ticked).
    async searchWords() {
      const pagefind = await this.pagefind();
      const found = await pagefind.search(this.state.q, {
        filters: pagefindFilters(this.state.filters),
        sort: SORTS[this.state.sort],
      });
      return { results: found ? found.results : [] };
    }

    // Each filter's counts for the words: how many letters there would be with that value
    // ticked as well; for a filter with values ticked, they are counted without its own
    // values, since its values are alternatives. Needs every filter's index (a few files,
    // fetched once, after the first results), in Pagefind's worker.
    async countWords() {
      const pagefind = await this.pagefind();
      await pagefind.filters();
      const { q, filters } = this.state;
      const all = pagefind.search(q, { filters: pagefindFilters(filters) });
      const each = this.ui.groups.map(async (group) => {
        let search = all;
        if (filters[group.key]) {
          const others = { ...filters };
          delete others[group.key];
          search = pagefind.search(q, { filters: pagefindFilters(others) });
        }
        const found = await search;
        return [group.key, (found && found.filters[group.key]) || {}];
      });
      return Object.fromEntries(await Promise.all(each));
    }

    // No words: the listing, newest first unless asked otherwise; counts as for words.
    async searchListing() {
      const letters = await this.listing();
      const { filters } = this.state;
      const keep = (letter, skip) =>
        Object.entries(filters).every(
          ([key, values]) => key === skip || letter.filters[key].some((v) => values.includes(v)),
        );
      const counts = {};
      for (const group of this.ui.groups) {
        const tally = {};
        for (const letter of letters) {
          if (!keep(letter, group.key)) continue;
          for (const value of letter.filters[group.key]) tally[value] = (tally[value] || 0) + 1;
        }
        counts[group.key] = tally;
      }
      const found = letters.filter((letter) => keep(letter, null));
      if (this.state.sort === "oldest") found.reverse();
      return { results: found.map((letter) => ({ data: async () => letter })), counts };
    }

    // Show the next page of results; focus the first new one when the reader asked for more.
    async more({ focus = true, generation = this.generation } = {}) {
      const { ui } = this;
      const next = this.results.slice(this.shown, this.shown + PAGE_SIZE);
      // The first result's excerpt is fetched on its own and shown; then the others are all
      // requested at once, and each is shown, in order, as soon as it and those before it
      // have arrived.
      const items = [];
      const show = async (data) => {
        const item = resultItem(await data, this.state);
        if (generation !== this.generation) return false;
        ui.results.append(item);
        items.push(item);
        await nextTask(); // one result a task: the page answers the reader in between
        return true;
      };
      if (next.length && !(await show(next[0].data()))) return;
      const pending = next.slice(1).map((result) => result.data());
      for (const data of pending) if (!(await show(data))) return;
      this.shown += items.length;
      const left = this.results.length - this.shown;
      ui.more.hidden = left <= 0;
      ui.more.textContent = `Show more results (${left} more)`;
      if (focus && items.length) items[0].querySelector("a").focus();
    }
  }

  // Yield to the browser, so that a long piece of work becomes several short ones.
  function nextTask() {
    return new Promise((resolve) => window.setTimeout(resolve, 0));
  }

  function pagefindFilters(filters) {
    const out = {};
    for (const [key, values] of Object.entries(filters)) {
      if (values.length) out[key] = { any: values };
    }
    return out;
  }

  // --- filters ------------------------------------------------------------------------------

  // Each filter's counts. Every value the build listed stays where it is, with (0) when no
  // letter has it now, and a value that appears is added in its place: the filters never
  // change height as counts arrive, so nothing beside or below them moves.
  function renderFilters(ui, state, counts) {
    for (const group of ui.groups) {
      const chosen = new Set(state.filters[group.key] || []);
      const found = counts[group.key] || {};
      const items = new Map([...group.list.children].map((li) => [li.dataset.value, li]));
      const values = sorted(new Set([...items.keys(), ...Object.keys(found), ...chosen]), group.order);
      let previous = null;
      for (const value of values) {
        const count = found[value] || 0;
        let li = items.get(value);
        if (!li) {
          li = optionItem(group, value);
          group.list.insertBefore(li, previous ? previous.nextSibling : group.list.firstChild);
        }
        li.querySelector("input").checked = chosen.has(value);
        li.querySelector(".fl-finder__count").textContent = `(${count})`;
        li.classList.toggle("fl-finder__option--none", count === 0 && !chosen.has(value));
        previous = li;
      }
      group.none.hidden = group.list.children.length > 0;
      group.selected.textContent = chosen.size ? ` (${chosen.size} selected)` : "";
    }
  }

  function optionItem(group, value) {
    if (!group.ids.has(value)) group.ids.set(value, group.ids.size + 1);
    const id = `finder-${group.key}-${group.ids.get(value)}`;
    const box = el("input", { type: "checkbox", id, name: group.key, value });
    const label = el("label", { for: id }, [
      value,
      " ",
      el("span", { class: "fl-finder__count" }, []),
    ]);
    return el("li", { "data-value": value }, [box, label]);
  }

  function sorted(values, order) {
    const list = [...values];
    if (order === "newest") return list.sort((a, b) => collator().compare(b, a));
    return list.sort(collator().compare);
  }

  function renderChips(ui, state) {
    const chips = [];
    for (const group of ui.groups) {
      for (const value of sorted(state.filters[group.key] || [], group.order)) {
        const text = `${group.legend}: ${value}`;
        const button = el(
          "button",
          {
            type: "button",
            class: "fl-finder__chip",
            "data-key": group.key,
            "data-value": value,
            "aria-label": `Remove filter ${text}`,
          },
          [text, el("span", { class: "fl-finder__chip-x", "aria-hidden": "true" }, ["×"])],
        );
        chips.push(el("li", {}, [button]));
      }
    }
    ui.chips.replaceChildren(...chips);
    ui.applied.hidden = chips.length === 0;
    const chosen = filterCount(state);
    ui.toggleCount.textContent = chosen ? ` (${chosen} selected)` : "";
  }

  // --- results ------------------------------------------------------------------------------

  function renderStatus(ui, state, total) {
    const filters = filterCount(state);
    let text = total ? `${plural(total, "letter")} found` : "No letters found";
    if (state.q) text += ` for “${state.q}”`;
    if (filters) text += ` with ${plural(filters, "filter")}`;
    ui.status.textContent = `${text}.`;
  }

  function renderEmpty(ui, state, total) {
    ui.empty.hidden = total > 0;
    if (total > 0) {
      ui.empty.replaceChildren();
      return;
    }
    const base = ui.root.dataset.root;
    const tips = [];
    if (state.q) tips.push(el("li", {}, ["Check the spelling, or try fewer or other words."]));
    if (filterCount(state)) {
      tips.push(
        el("li", {}, [
          "Remove a filter from the list above, or ",
          el("button", { type: "button", class: "fl-finder__link", "data-action": "unfilter" }, [
            state.q ? `search all letters for “${state.q}”` : "clear all filters",
          ]),
          ".",
        ]),
      );
    }
    tips.push(
      el("li", {}, [
        "Browse letters by ",
        el("a", { href: `${base}authorities/` }, ["council"]),
        ", ",
        el("a", { href: `${base}themes/` }, ["theme"]),
        " or ",
        el("a", { href: `${base}years/` }, ["year"]),
        ".",
      ]),
    );
    ui.empty.replaceChildren(
      el("p", { class: "fl-finder__empty-title" }, ["No letters match your search."]),
      el("ul", {}, tips),
    );
  }

  function resultItem(data, state) {
    const meta = data.meta || {};
    const filters = data.filters || {};
    const title = meta.title || data.url;
    const facts = [
      ...(filters.council || []),
      meta.date ? formatDate(meta.date) : "",
      ...(filters.kind || []),
    ].filter(Boolean);
    const count = Number.parseInt(meta.recommendations || "", 10);
    if (Number.isFinite(count)) facts.push(plural(count, "recommendation"));
    const children = [
      el("h3", { class: "fl-result__title" }, [el("a", { href: data.url }, [title])]),
      el("p", { class: "fl-result__meta" }, [facts.join(" · ")]),
    ];
    const themes = themesOf(filters.theme || [], state);
    if (themes) children.push(themes);
    if (state.q) {
      const passages = passagesOf(data);
      if (passages.length) {
        children.push(
          el(
            "ul",
            { class: "fl-result__passages", "aria-label": `Passages in ${title}` },
            passages.map((p) =>
              el("li", {}, [
                el("a", { href: p.url }, [p.title]),
                el("span", { class: "fl-result__excerpt" }, [" ", ...p.excerpt]),
              ]),
            ),
          ),
        );
      }
    }
    return el("li", { class: "fl-result" }, children);
  }

  // The letter's themes: those ticked as a filter or named by the searched words first, in
  // bold, then the others, up to THEMES_SHOWN.
  function themesOf(themes, state) {
    if (!themes.length) return null;
    const ticked = new Set(state.filters.theme || []);
    const words = state.q.toLowerCase().split(/\s+/).filter((w) => w.length > 2);
    const matches = (theme) =>
      ticked.has(theme) || words.some((word) => theme.toLowerCase().includes(word));
    const ordered = [...themes.filter(matches), ...themes.filter((t) => !matches(t))];
    const shown = ordered.slice(0, THEMES_SHOWN);
    const nodes = ["Themes: "];
    shown.forEach((theme, n) => {
      if (n) nodes.push(", ");
      nodes.push(matches(theme) ? el("strong", {}, [theme]) : theme);
    });
    if (ordered.length > shown.length) nodes.push(` and ${ordered.length - shown.length} more`);
    return el("p", { class: "fl-result__themes" }, nodes);
  }

  // The sections of a letter where the words were found (up to PASSAGES, one per heading),
  // the richest first; shown in reading order, each linked to the block its first match is
  // in (b1, b2, …), with the sentence of the letter that holds that match.
  function passagesOf(data) {
    const anchors = (data.anchors || [])
      .filter((a) => a.id)
      .sort((a, b) => a.location - b.location);
    const words = String(data.content || "").split(/[\r\n\s]+/g);
    const sections = (data.sub_results || [])
      .map((s, n) => ({ s, n }))
      .filter(({ s }) => s.url.includes("#") && s.locations && s.locations.length)
      .sort((a, b) => b.s.locations.length - a.s.locations.length || a.n - b.n);
    const titles = new Set();
    const chosen = [];
    for (const section of sections) {
      if (chosen.length === PASSAGES || titles.has(section.s.title)) continue;
      titles.add(section.s.title);
      chosen.push(section);
    }
    return chosen
      .sort((a, b) => a.n - b.n)
      .map(({ s }) => {
        const first = Math.min(...s.locations);
        const anchor = anchors.filter((a) => a.location <= first).pop();
        const next = anchors.find((a) => a.location > first);
        const [page, hash] = s.url.split("#");
        return {
          url: anchor ? `${page}#${anchor.id}` : `${page}#${hash}`,
          title: s.title,
          excerpt: sentence(words, first, anchor ? anchor.location : 0, next ? next.location : words.length, s.locations),
        };
      });
  }

  // The sentence of the block [start, end) that holds word `at`, as nodes, each of the
  // located words marked; a long sentence is cut to a window around `at`, marked "…".
  function sentence(words, at, start, end, locations) {
    const ends = (word) => /[.!?…]["'’”)\]]*$/.test(word);
    let from = at;
    while (from > start && !ends(words[from - 1])) from -= 1;
    let to = at;
    while (to < end - 1 && !ends(words[to])) to += 1;
    to += 1;
    let before = "";
    let after = "";
    if (to - from > SENTENCE_WORDS) {
      const left = Math.max(from, at - Math.floor(WINDOW_WORDS / 3));
      const right = Math.min(to, left + WINDOW_WORDS);
      if (left > from) before = "… ";
      if (right < to) after = " …";
      from = left;
      to = right;
    }
    const marked = new Set(locations);
    const nodes = [before];
    for (let i = from; i < to; i += 1) {
      if (!words[i]) continue;
      if (i > from) nodes.push(" ");
      nodes.push(marked.has(i) ? el("mark", {}, [words[i]]) : words[i]);
    }
    nodes.push(after);
    return nodes.filter((node) => node !== "");
  }

  // 2023-07-20 → 20 July 2023; 2023-06 (a letter dated by its month) → June 2023, as the
  // site's pages write dates (render.py).
  function formatDate(iso) {
    const parts = /^(\d{4})-(\d\d)(?:-(\d\d))?$/.exec(iso);
    const month = parts && MONTHS[Number(parts[2]) - 1];
    if (!month) return iso;
    return parts[3] ? `${Number(parts[3])} ${month} ${parts[1]}` : `${month} ${parts[1]}`;
  }

  // --- helpers ------------------------------------------------------------------------------

  function plural(n, word) {
    return `${n} ${n === 1 ? word : `${word}s`}`;
  }

  function el(tag, attributes, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const finder = document.getElementById("finder");
  if (finder) {
    loadMaterialOnDemand();
    start(finder);
  }
})();
