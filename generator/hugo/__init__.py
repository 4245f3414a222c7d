"""Hugo sites, built as they are: config, URLs, sections, bundles and shortcodes.

A site folder with a Hugo config file (`hugo.toml`, `config.toml`, `config/_default/` ...; see
`config.CONFIG_FILES`) is a Hugo site: its configuration is read as Broadsheet settings, and
`hugo.rules` turns on Hugo's rules for content/ (`broadsheet init --from-hugo` writes them into
site.toml, so the Hugo files can go). Each concern is one module:

| module | holds |
|---|---|
| `config.py` | Hugo's config files, merged and mapped onto settings; warnings; site.toml writing |
| `permalinks.py` | Hugo's URL rules: default paths, `slug`, `url`, `[permalinks]` tokens, aliases, urlize |
| `content.py` | discovery (bundles, resources), front matter as Hugo reads it |
| `pages.py` | `make_article`: a Hugo page's article, shortcodes expanded around Broadsheet's own |
| `calls.py` | what a shortcode is given: the tag (`Call`), its `Context`, line numbers |
| `shortcodes.py` | the shortcode parser and expansion (placeholders, nesting, code left alone) |
| `custom.py` | a site's own shortcodes: templates/shortcodes/NAME.html (Jinja) |
| `builtins.py` | Hugo's built-in shortcodes (figure, highlight, ref, relref, embeds, param, details) |
| `site.py` | after all sources are read: `_index.md` sections, ref/relref filled, bundle files |

The engine calls in at a few seams: `config.load` (settings), `sources` (discovery, dates,
front matter), `articles.make_article` (Hugo's paths), `build` (`pages.make_article` for every
source, then the site stage and bundle files) and `routes` (section pages).
"""
