// Broadsheet search page (/search/): runs the reader's query against the index that the build
// writes into search-index/ (see generator/search.py for its files). Loaded by
// templates/search.html; no request leaves this site.
//
// A query fetches meta.json once, then only the term chunks that hold its words, the doc groups
// of the results shown, and those articles' own pages for their excerpts.
//
// ?q= (and ?category=, ?tag=, ?sort=newest|oldest) in the address opens the results, so a
// search can be linked and the sidebar widget, a plain GET form, lands here with its query.
// Results are links in a list: Tab moves through them; the arrow keys move between the search
// box and the results; Escape goes back to the box. Excerpts are built from text nodes and <mark>
// elements only, never parsed as HTML.

const FORMAT = 1; // generator/search.py FORMAT
const PAGE_SIZE = 10;
const PHRASE_WINDOW = 20; // the best matches checked for the words in the order typed
const TYPING_DELAY = 250; // ms of quiet typing before searching as you type
const PREFIX_MIN = 3; // the last word matches longer words from this many letters
const PREFIX_CHUNKS = 3; // at most this many chunks are fetched for one prefix
const PREFIX_WEIGHT = 0.6; // a longer word found by prefix counts less than the word itself
const EXCERPT_WORDS = 30;

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
// Resolve against the page, not this script: the template's URLs may be relative.
const indexUrl = new URL(root.dataset.index, document.baseURI);
const siteRoot = new URL(root.dataset.root, document.baseURI);

let results = []; // the current search's doc numbers, best first
let terms = []; // the current search's folded words (the last may be a prefix)
let shown = 0; // how many results are in the list
let generation = 0; // bumped by every search, so a slow older one never overwrites a newer one
let typingTimer = 0;

fallback.hidden = true;
options.hidden = false;

// --- words, exactly as generator/search.py words() ---------------------------------------

const MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const WORD = /[\p{L}\p{N}]+/gu;

function fold(word) {
  const length = [...word].length;
  if (length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

function words(text) {
  let lower = text.toLowerCase();
  if (/[^\x00-\x7f]/.test(lower)) lower = lower.normalize("NFKD").replace(MARKS, "");
  return (lower.match(WORD) || []).filter((w) => [...w].length > 1).map(fold);
}

// --- the index files ----------------------------------------------------------------------

const files = new Map(); // name -> Promise of its JSON

function load(name) {
  if (!files.has(name)) {
    const promise = fetch(new URL(name, indexUrl)).then((response) => {
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return response.json();
    });
    promise.catch(() => files.delete(name)); // a failed fetch is tried again next time
    files.set(name, promise);
  }
  return files.get(name);
}

async function meta() {
  const data = await load("meta.json");
  if (data.format !== FORMAT) throw new Error(`search index format ${data.format}, not ${FORMAT}`);
  return data;
}

function chunkAt(chunks, term) {
  // The last chunk whose first term is <= term (binary search), or -1.
  let lo = 0;
  let hi = chunks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (chunks[mid][0] <= term) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

async function postings(index, term, prefix) {
  // [[term, [doc * 256 + weight, ...]], ...]: the word itself and, for a prefix, longer words.
  const at = chunkAt(index.chunks, term);
  if (at < 0 && !prefix) return [];
  const names = [];
  if (at >= 0) names.push(index.chunks[at][1]);
  if (prefix) {
    for (let i = at + 1; i < index.chunks.length && names.length < PREFIX_CHUNKS; i++) {
      if (!index.chunks[i][0].startsWith(term)) break;
      names.push(index.chunks[i][1]);
    }
  }
  const chunks = await Promise.all(names.map(load));
  const out = [];
  for (const chunk of chunks) {
    for (const [word, list] of Object.entries(chunk)) {
      if (word === term || (prefix && word.startsWith(term))) out.push([word, list]);
    }
  }
  return out;
}

function idf(docs, count) {
  return Math.log(1 + (docs - count + 0.5) / (count + 0.5));
}

async function matches(index, query) {
  // doc -> score, for docs that have every word (the last also as a prefix); null: no words.
  if (!query.length) return null;
  const lists = await Promise.all(query.map((term, i) =>
    postings(index, term, i === query.length - 1 && [...term].length >= PREFIX_MIN)));
  let scores = null;
  for (let i = 0; i < query.length; i++) {
    const mine = new Map();
    for (const [word, list] of lists[i]) {
      const weight = idf(index.docs, list.length) * (word === query[i] ? 1 : PREFIX_WEIGHT);
      for (const posting of list) {
        const doc = Math.floor(posting / 256);
        const score = weight * (posting % 256);
        if (score > (mine.get(doc) || 0)) mine.set(doc, score);
      }
    }
    if (scores === null) {
      scores = mine;
    } else {
      const both = new Map();
      for (const [doc, score] of mine) {
        if (scores.has(doc)) both.set(doc, scores.get(doc) + score);
      }
      scores = both;
    }
  }
  return scores;
}

async function filterDocs(key, value) {
  // The docs of a category or tag (matched in any case), or null for no filter.
  if (!value) return null;
  const index = await meta();
  const filters = await load(index.filters);
  const wanted = value.toLowerCase();
  const found = (filters[key] || []).find(([name]) => name.toLowerCase() === wanted);
  return new Set(found ? await load(found[2]) : []);
}

async function doc(number) {
  // {number, path, title, date, datetime} from its doc group.
  const index = await meta();
  const group = await load(index.groups[Math.floor(number / index.group)]);
  const [path, title, date, datetime] = group[number % index.group];
  const url = new URL(path, siteRoot);
  return { number, path, title, date, datetime, url: url.origin === location.origin ? url.pathname : url.href };
}

const texts = new Map(); // doc number -> Promise of the article's visible text

function articleText(number) {
  // The text of the article's body, from its own page (which the reader may open next).
  if (!texts.has(number)) {
    texts.set(number, doc(number).then(async (d) => {
      const response = await fetch(d.url);
      if (!response.ok) return "";
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const body = page.querySelector(".article__body") || page.querySelector("main") || page.body;
      body.querySelectorAll("script, style, template").forEach((node) => node.remove());
      return body.textContent.replace(/\s+/g, " ").trim();
    }).catch(() => ""));
  }
  return texts.get(number);
}

function hasPhrase(text, query) {
  const found = words(text);
  const last = query.length - 1;
  for (let i = 0; i + last < found.length; i++) {
    let j = 0;
    while (j < last && found[i + j] === query[j]) j++;
    if (j === last && found[i + last].startsWith(query[last])) return true;
  }
  return false;
}

// --- the page -----------------------------------------------------------------------------

function el(name, className) {
  const node = document.createElement(name);
  if (className) node.className = className;
  return node;
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

function isMatch(word) {
  const last = terms.length - 1;
  return terms.some((term, i) => word === term
    || (i === last && [...term].length >= PREFIX_MIN && word.startsWith(term)));
}

function excerpt(node, text) {
  // EXCERPT_WORDS words around the densest run of matched words, those words in <mark>.
  const found = [...text.matchAll(WORD)].map((m) => ({
    start: m.index, end: m.index + m[0].length, hit: words(m[0]).some(isMatch),
  }));
  if (!found.length) return;
  let best = 0;
  let bestHits = -1;
  for (let i = 0; i < found.length; i++) {
    if (!found[i].hit) continue;
    const seen = new Set();
    for (let j = i; j < Math.min(found.length, i + EXCERPT_WORDS); j++) {
      if (found[j].hit) seen.add(words(text.slice(found[j].start, found[j].end)).join(" "));
    }
    if (seen.size > bestHits) {
      best = i;
      bestHits = seen.size;
    }
  }
  const first = Math.max(0, best - 5);
  const window = found.slice(first, first + EXCERPT_WORDS);
  let at = window[0].start;
  if (first > 0) node.append("… ");
  for (const word of window) {
    if (!word.hit) continue;
    node.append(text.slice(at, word.start));
    const mark = el("mark");
    mark.textContent = text.slice(word.start, word.end);
    node.append(mark);
    at = word.end;
  }
  const end = window[window.length - 1].end;
  node.append(text.slice(at, first + EXCERPT_WORDS < found.length ? end : text.length));
  if (first + EXCERPT_WORDS < found.length) node.append(" …");
}

function resultItem(data, text) {
  const item = el("li", "search-result");
  const heading = el("h2", "search-result__title");
  const link = el("a", "search-result__link");
  link.href = data.url;
  link.textContent = data.title || data.path;
  heading.append(link);
  item.append(heading);
  const line = el("p", "search-result__meta");
  const time = el("time");
  time.dateTime = data.datetime;
  time.textContent = data.date;
  line.append(time);
  item.append(line);
  const paragraph = el("p", "search-result__excerpt");
  excerpt(paragraph, text);
  item.append(paragraph);
  return item;
}

async function showMore(mine) {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map(doc));
  const bodies = await Promise.all(batch.map((number) => (terms.length ? articleText(number) : "")));
  if (mine !== generation) return null;
  const items = data.map((d, i) => resultItem(d, bodies[i]));
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

async function rank(index, query) {
  // Doc numbers, best first (or by date), with the filters applied.
  const [scores, inCategory, inTag] = await Promise.all([
    matches(index, query), filterDocs("category", category.value), filterDocs("tag", tag.value.trim()),
  ]);
  let docs = scores ? [...scores.keys()] : null;
  for (const only of [inCategory, inTag]) {
    if (!only) continue;
    docs = docs ? docs.filter((d) => only.has(d)) : [...only];
  }
  docs = docs || [];
  if (sort.value === "oldest") return docs.sort((a, b) => a - b);
  if (sort.value === "newest" || !scores) return docs.sort((a, b) => b - a);
  docs.sort((a, b) => scores.get(b) - scores.get(a) || b - a); // docs are numbered by date
  if (query.length < 2) return docs;
  // The words in the order typed (a pasted headline or quote) first, among the best matches.
  const top = docs.slice(0, PHRASE_WINDOW);
  const bodies = await Promise.all(top.map(async (d) => `${(await doc(d)).title} ${await articleText(d)}`));
  const phrase = top.filter((d, i) => hasPhrase(bodies[i], query));
  const first = new Set(phrase);
  return [...phrase, ...docs.filter((d) => !first.has(d))];
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
    const index = await meta();
    const query = words(q);
    const found = await rank(index, query);
    if (mine !== generation) return;
    results = found;
    terms = query;
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

export { words }; // for tests/test_search.py, which checks it against the Python side

setFields(new URLSearchParams(location.search));
if (currentParams().toString()) {
  search();
} else {
  meta().catch(() => {}); // warm up while the reader types; a failure shows on search
}
