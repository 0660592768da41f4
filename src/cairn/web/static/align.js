// Aligning outcomes to skills: matches appear while typing. Progressive enhancement only:
// without this file each search is a plain GET that reloads the page with the same matches.
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("align-status");
  document.querySelectorAll("form[data-skill-search]").forEach((form) => {
    const position = form.dataset.skillSearch;
    const input = form.querySelector("input[type=search]");
    const results = document.getElementById(`results-${position}`);
    if (!input || !results) return;
    let timer = null;
    let latest = 0;
    const search = async () => {
      const text = input.value.trim();
      if (text.length < 2) return;
      const asked = ++latest;
      const url = new URL(form.action);
      url.hash = "";
      url.search = new URLSearchParams(new FormData(form)).toString();
      const answer = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (!answer.ok || asked !== latest) return;
      const page = new DOMParser().parseFromString(await answer.text(), "text/html");
      const found = page.getElementById(`results-${position}`);
      if (!found) return;
      results.replaceChildren(...Array.from(found.childNodes).map((node) => document.importNode(node, true)));
      const count = results.querySelector("[data-count]");
      if (status && count) status.textContent = count.textContent;
    };
    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 300);
    });
  });
});
