// Broadsheet search page (/search/): runs the reader's query against the Pagefind index that the
// build writes into pagefind/. Loaded by templates/search.html; no request leaves this site.
//
// ?q= (and ?category=, ?tag=, ?sort=newest|oldest) in the address opens the results, so a
// search can be linked and the sidebar widget, a plain GET form, lands here with its query.
// Results are links in a list: Tab moves through them; the arrow keys move between the search
// box and the results; Escape goes back to the box. Excerpts are built from text nodes and <mark>
// elements only, never parsed as HTML.

const PAGE_SIZE = 10;
const TYPING_DELAY = 250; // ms of quiet typing before searching as you type

const root = document.getElementById("search");
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const options = document.getElementById("search-options");
const category = document.getElementById("search-category");
const tag = document.getElementById("search-tag");
const sort = document.getElementById("search-sort");
const fallback = document.getElementById("search-fallback");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const baseTitle = document.title;

let pagefind = null; // the Pagefind module, imported on first use
let tagNames = null; // lower-cased tag -> the tag as indexed, for case-insensitive matching
let results = []; // the current search's results (not yet loaded)
let shown = 0; // how many of them are in the list
let generation = 0; // bumped by every search, so a slow older one never overwrites a newer one
let typingTimer = 0;

fallback.hidden = true;
options.hidden = false;

function el(name, className) {
  const node = document.createElement(name);
  if (className) node.className = className;
  return node;
}

async function loadPagefind() {
  if (!pagefind) {
    // Resolve against the page, not this script: the template's URL may be relative.
    const url = new URL(root.dataset.pagefind, document.baseURI).href;
    const module = await import(url);
    await module.options({ excerptLength: 30 });
    pagefind = module;
  }
  return pagefind;
}

function setFields(params) {
  input.value = params.get("q") || "";
  category.value = params.get("category") || "";
  if (category.selectedIndex < 0) category.value = ""; // a section this site does not have
  tag.value = params.get("tag") || "";
  sort.value = ["newest", "oldest"].includes(params.get("sort")) ? params.get("sort") : "";
}

function currentParams() {
  const params = new URLSearchParams();
  const q = input.value.trim();
  if (q) params.set("q", q);
  if (category.value) params.set("category", category.value);
  if (tag.value.trim()) params.set("tag", tag.value.trim());
  if (sort.value) params.set("sort", sort.value);
  return params;
}

function updateAddress(push) {
  const query = currentParams().toString();
  const address = location.pathname + (query ? `?${query}` : "");
  if (address !== location.pathname + location.search) {
    history[push ? "pushState" : "replaceState"](null, "", address);
  }
}

async function tagFilter(name) {
  if (!tagNames) {
    const filters = await pagefind.filters();
    tagNames = new Map(Object.keys(filters.tag || {}).map((t) => [t.toLowerCase(), t]));
  }
  return tagNames.get(name.toLowerCase()) || name;
}

function excerpt(node, marked) {
  // Pagefind wraps each matched word in <mark>...</mark>; everything else is the article's text.
  marked.split(/<mark>|<\/mark>/).forEach((text, i) => {
    if (!text) return;
    if (i % 2) {
      const mark = el("mark");
      mark.textContent = text;
      node.append(mark);
    } else {
      node.append(text);
    }
  });
}

function resultItem(data) {
  const item = el("li", "search-result");
  const heading = el("h2", "search-result__title");
  const link = el("a", "search-result__link");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  if (data.meta.date) {
    const meta = el("p", "search-result__meta");
    const time = el("time");
    if (data.meta.datetime) time.dateTime = data.meta.datetime;
    time.textContent = data.meta.date;
    meta.append(time);
    item.append(meta);
  }
  const text = el("p", "search-result__excerpt");
  excerpt(text, data.excerpt || "");
  item.append(text);
  return item;
}

async function showMore(mine) {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (mine !== generation) return null;
  const items = data.map(resultItem);
  list.append(...items);
  shown += batch.length;
  more.hidden = shown >= results.length;
  return items[0] || null;
}

function describe(count, q) {
  const what = count === 1 ? "1 article" : `${count.toLocaleString()} articles`;
  const parts = [];
  if (category.value) parts.push(`in ${category.value}`);
  if (tag.value.trim()) parts.push(`about ${tag.value.trim()}`);
  const narrowed = parts.length ? ` ${parts.join(" ")}` : "";
  if (!count) return q ? `No articles${narrowed} match “${q}”.` : `No articles${narrowed}.`;
  if (!q) return `${what}${narrowed}.`;
  return `${what}${narrowed} ${count === 1 ? "matches" : "match"} “${q}”.`;
}

async function search({ push = false } = {}) {
  clearTimeout(typingTimer);
  const mine = ++generation;
  const q = input.value.trim();
  updateAddress(push);
  document.title = q ? `${q} - ${baseTitle}` : baseTitle;
  if (!q && !category.value && !tag.value.trim()) {
    results = [];
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Searching…";
  try {
    const pf = await loadPagefind();
    const filters = {};
    if (category.value) filters.category = category.value;
    if (tag.value.trim()) filters.tag = await tagFilter(tag.value.trim());
    const query = { filters };
    if (sort.value) query.sort = { date: sort.value === "oldest" ? "asc" : "desc" };
    const found = await pf.search(q || null, query);
    if (mine !== generation || !found) return;
    results = found.results;
    if (!query.sort && /\s/.test(q) && !/^".*"$/.test(q)) {
      // Pagefind ranks words, not their order: put the articles that have the words as the
      // phrase typed first (a pasted headline or quote), then the rest in Pagefind's order.
      const exact = await pf.search(`"${q.replaceAll('"', "")}"`, query);
      if (mine !== generation) return;
      if (exact && exact.results.length) {
        const first = new Set(exact.results.map((result) => result.id));
        results = [...exact.results, ...results.filter((result) => !first.has(result.id))];
      }
    }
    shown = 0;
    list.replaceChildren();
    await showMore(mine);
    if (mine !== generation) return;
    statusLine.textContent = describe(results.length, q);
  } catch (error) {
    if (mine !== generation) return;
    console.error("search failed:", error);
    results = [];
    list.replaceChildren();
    more.hidden = true;
    statusLine.textContent = "Search is not available here right now.";
    fallback.hidden = false;
  }
}

function resultLinks() {
  return Array.from(list.querySelectorAll("a.search-result__link"));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  search({ push: true });
});

input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => search(), TYPING_DELAY);
});

for (const field of [category, sort]) field.addEventListener("change", () => search({ push: true }));
tag.addEventListener("change", () => search({ push: true }));

input.addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") {
    const first = resultLinks()[0];
    if (first) {
      event.preventDefault();
      first.focus();
    }
  }
});

list.addEventListener("keydown", (event) => {
  const links = resultLinks();
  const at = links.indexOf(document.activeElement);
  if (at < 0) return;
  if (event.key === "ArrowDown" && at + 1 < links.length) {
    event.preventDefault();
    links[at + 1].focus();
  } else if (event.key === "ArrowUp") {
    event.preventDefault();
    (at > 0 ? links[at - 1] : input).focus();
  } else if (event.key === "Escape") {
    event.preventDefault();
    input.focus();
  }
});

more.addEventListener("click", async () => {
  const first = await showMore(generation);
  if (first) first.querySelector("a").focus(); // keyboard users continue at the new results
});

window.addEventListener("popstate", () => {
  setFields(new URLSearchParams(location.search));
  search();
});

setFields(new URLSearchParams(location.search));
if (currentParams().toString()) {
  search();
} else {
  loadPagefind().catch(() => {}); // warm up while the reader types; a failure shows on search
}
