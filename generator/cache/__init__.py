"""The build's caches, all in `<site>/.broadsheet-cache/`, and every rule that makes one stale.

Deleting the folder is always safe, and `--no-cache` neither reads nor writes it: the output is
the same either way (`tests/test_equivalence.py` checks this after each kind of edit). A stale
entry or page is simply not used: the build makes it again.

What each cache holds, its key, and what makes an entry stale (all keys are defined below):

cache (module)               holds                        key           stale (made again) when
---------------------------  ---------------------------  ------------  ---------------------------
articles.pickle, the file    a header, then one record    FORMAT +      FORMAT, engine key or
(articles.py)                per source                   engine key +  settings key differ; the
                                                          settings key  file is corrupt or cut short
an article entry             the Article (Markdown        source key    the key differs; its date is
(articles.py, Entry)         rendered), its fields,                     the file's mtime and that
                             warnings and search terms;                 changed (Entry.mtime_ns);
                             body and terms stay in the                 an entry a build does not
                             file (BodyRef)                             use is dropped from the file
in-process memo              the entries of the cache     that file's   the file changed on disk
(articles._last)             file this process last       inode, mtime, (another process wrote it);
                             read or wrote                size, prefix  forget_remembered()
pages.pickle, page           per output file: its         output file   its fingerprint differs; the
fingerprints (pages.py)      fingerprint and the hash of                manifest holds another hash;
                             the bytes written (not the                 the file is gone
                             pages: those are output/)
images/<key>/ (images.py,    one image's widths, formats  image key     never: another source, setting
ImageCache)                  and crops, and meta.json                   or focus is another key; a
                                                                        folder no build uses stays
                                                                        until the cache is deleted
images/index.json            path -> mtime, size, bytes   source path   its mtime or size differs
(images.py, ImageCache)      hash (saves re-reading a                   (the bytes are hashed again)
                             source that did not change)
related.pickle (related.py)  each edition's related      inputs key    any article's source, date,
                             articles, as source paths    (related.     translation key or tags, the
                                                          inputs_key)   order, `related_num` or the
                                                                        engine differ
search.pickle, one per       an edition's index as its    FORMAT,       the key differs (then the
edition (search.fr.pickle:   last merge left it: doc      engine key,   index is merged whole); a
search.py)                   order, each doc's terms      edition's     doc whose terms key differs
                             key, postings, chunk and     settings key, has its postings redone; docs
                             doc-group names and hashes   folder,       renumbered (one came or went
                                                          analyzer      before the newest, or moved
                                                          language      in the order), another chunk
                                                                        modulus: merged whole
source-stats.pickle          Markdown source -> its stat  FORMAT +      its inode, size, mtime or
(keys.py, SourceKeys.known)  (inode, size, mtime, ctime)  engine key +  ctime differs (the bytes are
                             and source key (saves        settings key  hashed again); a file whose
                             reading an unchanged file                  ctime was within 2 s of the
                             to key it)                                 build's start is not kept

build-stamp.pickle           the last build's input and   the walk      any file under content/,
(stamp.py, Stamp)            output walks, clock window   (stamp.       templates/, static/, the
                             and report: a build whose    inputs) and   Hugo config folders or the
                             three match does nothing     the output    theme, a config file, the
                                                          folder's      engine or a setting (clock
                                                          walk          aside) differs; a file in
                                                                        output/ differs; the clock
                                                                        is before the last build's
                                                                        or past its window; saved
                                                                        by `build()` only, none
                                                                        when an input changed
                                                                        within 2 s of the walk

The keys (`keys.py`):

- **engine key**: every `generator/**/*.py` file (path and bytes), the Python version, and the
  versions of the libraries that shape the output (`keys.LIBRARIES`: Python-Markdown, Pygments,
  PyYAML, python-frontmatter, latex2mathml, Jinja, MarkupSafe, feedgen, Babel, snowballstemmer:
  the search terms are stemmed in the read workers and kept in the article entries).
- **settings key**: every `Config` field except those that only choose which articles are
  built or where output goes (`keys.NOT_IN_KEY`: site_dir, output_dir, now, drafts, future).
  That includes `Config.templates_key`, a hash of what a Hugo site's articles read besides their
  own file: the site's `templates/shortcodes/` and which folders have an `_index.md`.
  Visibility (draft, embargo, expiry) is decided at each build's clock from the entry's fields,
  never cached.
- **source key**: engine and settings key, the path under `content/`, the file's bytes; for a
  `.txt` file also the bytes of its sidecar `.yaml`/`.yml` and the file names in
  `static/images/` (a wire article's `Image |` line shows the image named after its alt text).
  Not the mtime: an entry whose date came from it carries it instead (`Entry.mtime_ns`), so a
  `touch` re-reads only the dateless articles.
- **image key** (`images.py`): `images.VERSION`, Pillow's version, the `[images]` settings, the
  source's bytes (their hash) and the focal point when the image is an article's lead (crops).
  A page shows its images through their keys: an article's image keys are part of its article
  key for page fingerprints, so a changed photo re-renders the pages that show it.
- **article key** (`article_key`): the source key, plus that mtime when there is one. Page
  fingerprints know an article by this, plus what can change without its source: its
  categories', tags' and authors' canonical names (another article may spell a shared tag
  differently) and, for a live blog, whether it is live at the build's clock.

What is in each output's fingerprint (`pages.py`):

output                      its fingerprint
--------------------------  --------------------------------------------------------------------
every fingerprinted output  the site part (with [languages], its edition's): engine key, every
                            file of the site's templates/ and the theme's (path and bytes),
                            settings key, the rendered sidebar widgets, menus, author profiles,
                            languages
article page                + template, path, the article, its older and newer neighbours,
                            related articles and translations (their article keys; the
                            translations are also what its language switcher links)
list page (home, category,  + template, path, kind, title, sidebar, widgets, description, feed,
tag, author, archive)       page number and count, term, profile, the articles listed; with
                            [languages], the same list's paths in the other editions (its
                            switcher and hreflang)
feed                        + kind, title, page, the articles in it
search index (the files in  engine key, settings key, every article's key (with [languages],
search-index/, one per      the edition's settings and articles): each edition's group stands
edition)                    or is made again

Feeds are every Atom, RSS and JSON Feed, the corrections feed and the live blogs' update feeds.
Never fingerprinted, so made on every build (the writer then skips bytes equal to those it
wrote): index pages (`/tags/`, `/archives/`, `/corrections/`...), the search page, redirects,
404, sitemaps, robots.txt, static files (a Hugo site's bundle resources among them),
`css/pygments.css` and the IndexNow key file.

Not tracked, by design: a template that shows site-wide data other than through a widget, a
menu or the page's own record (say, `site.articles | length` in a footer) is not re-rendered
when only that data changes. The theme shows such data only in widgets, which are fingerprinted.
"""

from .articles import FILE as ARTICLES_FILE
from .articles import (
    ArticleCache,
    Entry,
    article_key,
    forget_remembered,
    mtime_to_check,
    record,
    terms_of,
)
from .keys import CACHE_DIR, SourceKeys, config_key, engine_key
from .pages import FILE as PAGES_FILE
from .pages import PageFingerprints

__all__ = [
    "ARTICLES_FILE",
    "CACHE_DIR",
    "PAGES_FILE",
    "ArticleCache",
    "Entry",
    "PageFingerprints",
    "SourceKeys",
    "article_key",
    "config_key",
    "engine_key",
    "forget_remembered",
    "mtime_to_check",
    "record",
    "terms_of",
]
