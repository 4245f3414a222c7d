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
//
// The query is analysed as the index's articles were (generator/analysis.py): the index says
// its language (meta.json "lang") and this loads stem/<lang>.js, that language's Snowball
// stemmer and stop words, translated from the Python the build used (tools/snowball_js.py).
// Words in "double quotes" are a phrase: articles holding it, word for word in that order
// (as analysed: "ministres" in quotes also finds "ministre"), rank first among the best
// matches. A phrase does not filter: the index has no word positions, so knowing every article
// with the phrase would mean fetching every matching article's page.
//
// The interface strings come from <script type="application/json" id="search-messages"> when
// the page has one (the site's language), else the English below.

const FORMAT = 2; // generator/search.py FORMAT
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
let terms = []; // the current search's words, {term, prefix}: the last may have a prefix
let shown = 0; // how many results are in the list
let generation = 0; // bumped by every search, so a slow older one never overwrites a newer one
let typingTimer = 0;

fallback.hidden = true;
options.hidden = false;

// --- interface strings ----------------------------------------------------------------------

const ENGLISH = {
  searching: "Searching…",
  unavailable: "Search is not available here right now.",
  count: { one: "{n} article", other: "{n} articles" },
  match: "{count}{narrowed} match “{query}”.",
  match_one: "{count}{narrowed} matches “{query}”.",
  none: "No articles{narrowed} match “{query}”.",
  none_noquery: "No articles{narrowed}.",
  all: "{count}{narrowed}.",
  in: " in {category}",
  about: " about {tag}",
};

function pageMessages() {
  const blob = document.getElementById("search-messages");
  if (!blob) return ENGLISH;
  try {
    const given = JSON.parse(blob.textContent);
    return { ...ENGLISH, ...given, count: { ...ENGLISH.count, ...(given.count || {}) } };
  } catch (error) {
    console.error("search-messages is not JSON:", error);
    return ENGLISH;
  }
}

const messages = pageMessages();
const pageLang = document.documentElement.lang || undefined;
const plurals = new Intl.PluralRules(pageLang);

function fill(template, values) {
  // One pass, so a query holding "{query}" is shown as typed.
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

// --- words, exactly as generator/analysis.py -------------------------------------------------

const ASCII = /^[\x00-\x7f]*$/;
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu; // analysis.tokens()
// analysis.FOLD_MARKS and analysis.CJK
const FOLD_MARKS = /[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u064b-\u065f\u0670\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const CJK_RUN = /([\u3005\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3ffff}]+)/u;
const BEYOND_BMP = /[\u{10000}-\u{10ffff}]/u;

const GENERIC = { lang: "", stem: (word) => word, stop: new Set(), foldFirst: false };
let analyzer = GENERIC;
const analysed = [new Map(), new Map()]; // token -> its terms, without and with stop words

async function useLanguage(lang) {
  // Analyse as the index's language: its stemmer and stop words, stem/<lang>.js.
  if (lang === analyzer.lang) return;
  if (lang) {
    const module = await import(new URL(`stem/${lang}.js`, import.meta.url));
    analyzer = { lang, stem: module.stem, stop: module.stopWords, foldFirst: module.foldFirst };
  } else {
    analyzer = GENERIC;
  }
  analysed.forEach((memo) => memo.clear());
}

function fold(word) {
  if (ASCII.test(word)) return word;
  return word.normalize("NFKD").replace(FOLD_MARKS, "").normalize("NFC");
}

function tokens(text) {
  const lower = ASCII.test(text) ? text.toLowerCase() : text.normalize("NFKC").toLowerCase();
  return lower.match(TOKEN) || [];
}

function wordTerm(token, keepStop) {
  // analysis.Analyzer.word(): the term of a token without Han or kana, or "". With keepStop
  // (phrases, compared word for word) stop words and one-letter words are kept.
  const folded = fold(token);
  if (!folded || (!keepStop && ([...folded].length < 2 || analyzer.stop.has(folded)))) return "";
  if (BEYOND_BMP.test(token)) return folded;
  return fold(analyzer.stem(analyzer.foldFirst ? folded : token)) || folded;
}

function tokenTerms(token, keepStop = false) {
  // analysis.Analyzer.token_terms(): one word, none, or character pairs.
  const memo = analysed[keepStop ? 1 : 0];
  let found = memo.get(token);
  if (found) return found;
  if (ASCII.test(token) || !CJK_RUN.test(token)) {
    const term = wordTerm(token, keepStop);
    found = term ? [term] : [];
  } else {
    found = [];
    token.split(CJK_RUN).forEach((part, i) => {
      if (i % 2) {
        const chars = [...part];
        if (chars.length === 1) found.push(part);
        for (let j = 0; j + 1 < chars.length; j++) found.push(chars[j] + chars[j + 1]);
      } else if (part) {
        const term = wordTerm(part, keepStop);
        if (term) found.push(term);
      }
    });
  }
  memo.set(token, found);
  return found;
}

function words(text, keepStop = false) {
  // analysis.Analyzer.terms(): the terms of a text, in order (with keepStop, stop words too).
  return tokens(text).flatMap((token) => tokenTerms(token, keepStop));
}

function parseQuery(q) {
  // {terms: [{term, prefix}], phrases: [{words, open}]}: every word of the query must match;
  // the last may also be the start of a longer word (results as the reader types), unless a
  // closing quote ended it. Quoted parts are also phrases, compared with their stop words; a
  // phrase still open (no closing quote yet) ends in a prefix too.
  const parts = q.split('"');
  const query = [];
  const phrases = [];
  const closed = parts.length % 2 === 1 && !parts.at(-1).trim(); // nothing after the last quote
  parts.forEach((part, i) => {
    for (const term of words(part)) query.push({ term, prefix: null });
    const all = words(part, true);
    if (i % 2 && all.length > 1) phrases.push({ words: all, open: i === parts.length - 1 });
  });
  const last = tokens(q).at(-1);
  if (query.length && last && !(closed && parts.length > 1)) {
    const mine = tokenTerms(last);
    const end = query.at(-1);
    if (mine.at(-1) === end.term) {
      if (CJK_RUN.test(end.term)) {
        if ([...end.term].length === 1) end.prefix = end.term; // a lone character: its pairs too
      } else if ([...fold(last)].length >= PREFIX_MIN) {
        end.prefix = fold(last); // as typed: a stem need not be a prefix of the word typed
      }
    }
  }
  return { terms: query, phrases };
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

let ready = null; // Promise of meta.json, once its language is loaded

function meta() {
  if (!ready) {
    ready = load("meta.json").then(async (data) => {
      if (data.format !== FORMAT) throw new Error(`search index format ${data.format}, not ${FORMAT}`);
      await useLanguage(data.lang || "");
      return data;
    });
    ready.catch(() => { ready = null; }); // tried again on the next search
  }
  return ready;
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

function chunkNames(index, word, prefix) {
  // The chunk that would hold `word` and, for a prefix, the next ones starting with it.
  const at = chunkAt(index.chunks, word);
  const names = at >= 0 ? [index.chunks[at][1]] : [];
  if (prefix) {
    for (let i = at + 1; i < index.chunks.length && names.length < PREFIX_CHUNKS; i++) {
      if (!index.chunks[i][0].startsWith(word)) break;
      names.push(index.chunks[i][1]);
    }
  }
  return names;
}

async function postings(index, { term, prefix }) {
  // [[word, [doc * 256 + weight, ...]], ...]: the term itself and, for a prefix, longer words.
  const names = new Set(chunkNames(index, term, false));
  if (prefix) chunkNames(index, prefix, true).forEach((name) => names.add(name));
  const chunks = await Promise.all([...names].map(load));
  const out = new Map();
  for (const chunk of chunks) {
    for (const [word, list] of Object.entries(chunk)) {
      if (word === term || (prefix && word.startsWith(prefix))) out.set(word, list);
    }
  }
  return [...out];
}

function idf(docs, count) {
  return Math.log(1 + (docs - count + 0.5) / (count + 0.5));
}

async function matches(index, query) {
  // doc -> score, for docs that have every word (the last also by its prefix); null: no words.
  if (!query.length) return null;
  const lists = await Promise.all(query.map((word) => postings(index, word)));
  let scores = null;
  for (let i = 0; i < query.length; i++) {
    const mine = new Map();
    for (const [word, list] of lists[i]) {
      const weight = idf(index.docs, list.length) * (word === query[i].term ? 1 : PREFIX_WEIGHT);
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

function matchesWord(word, { term, prefix }) {
  return word === term || (prefix !== null && word.startsWith(prefix));
}

function inOrder(found, query) {
  // The query's words one after another in `found` (the text's words).
  for (let i = 0; i + query.length <= found.length; i++) {
    let j = 0;
    while (j < query.length && matchesWord(found[i + j], query[j])) j++;
    if (j === query.length) return true;
  }
  return false;
}

function hasPhrase(found, { words: phrase, open }) {
  // The phrase's words, stop words too, one after another in `found`; an open phrase's last
  // word may be the start of a longer one.
  const last = phrase.length - 1;
  for (let i = 0; i + last < found.length; i++) {
    let j = 0;
    while (j < last && found[i + j] === phrase[j]) j++;
    if (j === last && (open ? found[i + j].startsWith(phrase[j]) : found[i + j] === phrase[j])) {
      return true;
    }
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
  return terms.some((query) => matchesWord(word, query));
}

function segments(text) {
  // The text's words with their places and whether each matched; Han and kana one character
  // at a time (a character matched when a pair or lone character holding it did).
  const out = [];
  for (const m of text.matchAll(TOKEN)) {
    let at = m.index;
    m[0].split(CJK_RUN).forEach((part, i) => {
      if (!part) return;
      if (i % 2) {
        const chars = [...part];
        const pairs = words(part).map(isMatch);
        const each = pairs.length === Math.max(1, chars.length - 1);
        chars.forEach((char, k) => {
          const hit = each ? (pairs[k - 1] || pairs[k] || false) : pairs.some(Boolean);
          out.push({ start: at, end: at + char.length, hit });
          at += char.length;
        });
      } else {
        out.push({ start: at, end: at + part.length, hit: words(part).some(isMatch) });
        at += part.length;
      }
    });
  }
  return out;
}

function excerpt(node, text) {
  // EXCERPT_WORDS words around the densest run of matched words, those words in <mark>.
  const found = segments(text);
  if (!found.length) return;
  let best = 0;
  let bestHits = -1;
  for (let i = 0; i < found.length; i++) {
    if (!found[i].hit) continue;
    const seen = new Set();
    for (let j = i; j < Math.min(found.length, i + EXCERPT_WORDS); j++) {
      if (found[j].hit) seen.add(text.slice(found[j].start, found[j].end).toLowerCase());
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
  const what = fill(messages.count[plurals.select(count)] || messages.count.other,
                    { n: count.toLocaleString(pageLang) });
  let narrowed = "";
  if (category.value) narrowed += fill(messages.in, { category: category.value });
  if (tag.value.trim()) narrowed += fill(messages.about, { tag: tag.value.trim() });
  const values = { count: what, narrowed, query: q };
  if (!count) return fill(q ? messages.none : messages.none_noquery, values);
  if (!q) return fill(messages.all, values);
  return fill(plurals.select(count) === "one" ? messages.match_one : messages.match, values);
}

async function rank(index, q, query) {
  // Doc numbers, best first (or by date), with the filters applied.
  const [scores, inCategory, inTag] = await Promise.all([
    matches(index, query.terms), filterDocs("category", category.value),
    filterDocs("tag", tag.value.trim()),
  ]);
  if (q && !query.terms.length) return []; // only stop words or one-letter words: nothing to find
  let docs = scores ? [...scores.keys()] : null;
  for (const only of [inCategory, inTag]) {
    if (!only) continue;
    docs = docs ? docs.filter((d) => only.has(d)) : [...only];
  }
  docs = docs || [];
  if (sort.value === "oldest") return docs.sort((a, b) => a - b);
  if (sort.value === "newest" || !scores) return docs.sort((a, b) => b - a);
  docs.sort((a, b) => scores.get(b) - scores.get(a) || b - a); // docs are numbered by date
  if (query.terms.length < 2 && !query.phrases.length) return docs;
  // Among the best matches: the quoted phrases as written first, then the words in the order
  // typed (a pasted headline or quote), then the rest.
  const top = docs.slice(0, PHRASE_WINDOW);
  const texts = await Promise.all(top.map(async (d) => `${(await doc(d)).title} ${await articleText(d)}`));
  const tier = top.map((d, i) => {
    if (query.phrases.length) {
      const all = words(texts[i], true);
      if (query.phrases.every((phrase) => hasPhrase(all, phrase))) return 0;
    }
    return query.terms.length > 1 && inOrder(words(texts[i]), query.terms) ? 1 : 2;
  });
  const order = top.map((d, i) => i).sort((a, b) => tier[a] - tier[b] || a - b);
  return [...order.map((i) => top[i]), ...docs.slice(PHRASE_WINDOW)];
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
  statusLine.textContent = messages.searching;
  try {
    const index = await meta();
    const query = parseQuery(q);
    const found = await rank(index, q, query);
    if (mine !== generation) return;
    results = found;
    terms = query.terms;
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
    statusLine.textContent = messages.unavailable;
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

// For the tests, which check the analysis against generator/analysis.py.
export { parseQuery, useLanguage, words };

setFields(new URLSearchParams(location.search));
if (currentParams().toString()) {
  search();
} else {
  meta().catch(() => {}); // warm up while the reader types; a failure shows on search
}
