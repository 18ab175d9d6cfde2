// A theme's page (scripts/finalletters/site/templates/theme.html): narrow its letters by year
// and by council. The form is hidden without JavaScript (site.css, `.no-js`), so the page is
// then the plain list of every letter; this hides the letters that do not match. The choice is
// kept in the address (?year=2023&council=Walsall), so that a narrowed page can be shared.

(() => {
  "use strict";

  const form = document.getElementById("theme-filter");
  const list = document.getElementById("theme-letters");
  if (!form || !list) return;
  const year = form.querySelector("#theme-year");
  const council = form.querySelector("#theme-council");
  const status = form.querySelector("#theme-status");
  const entries = [...list.querySelectorAll(".fl-entry")];

  const params = new URLSearchParams(window.location.search);
  for (const [select, key] of [
    [year, "year"],
    [council, "council"],
  ]) {
    const wanted = params.get(key) || "";
    if ([...select.options].some((option) => option.value === wanted)) select.value = wanted;
  }

  function apply(announce) {
    let shown = 0;
    for (const entry of entries) {
      const keep =
        (!year.value || entry.dataset.year === year.value) &&
        (!council.value || entry.dataset.council === council.value);
      entry.hidden = !keep;
      if (keep) shown += 1;
    }
    const narrowed = year.value || council.value;
    const text = narrowed
      ? `Showing ${shown} of ${entries.length} letters.`
      : `Showing all ${entries.length} letters.`;
    if (announce || narrowed) status.textContent = text;
    const url = new URL(window.location.href);
    for (const [select, key] of [
      [year, "year"],
      [council, "council"],
    ]) {
      if (select.value) url.searchParams.set(key, select.value);
      else url.searchParams.delete(key);
    }
    window.history.replaceState(null, "", url);
  }

  form.addEventListener("change", () => apply(true));
  form.addEventListener("submit", (event) => event.preventDefault());
  apply(false);
})();
