#!/usr/bin/env python3
"""markdownify vs html2text on a WordPress export: speed and faithfulness, as the importer uses them.

    .venv/bin/pip install html2text          # markdownify is already a dependency
    .venv/bin/python bench/html_to_markdown.py [EXPORT.xml] [--repeat 5]

Every post and page body goes through the importer's own first steps (block comments out,
shortcodes expanded, paragraphs added to classic posts: `wordpress_html`), then to Markdown
with each converter, then back to HTML with Broadsheet's Markdown setup. Measured per converter:

- time: converting every body, fastest of --repeat runs;
- text lost: bodies where some visible text of the WordPress HTML is missing, or out of order,
  in the rendered result (whitespace ignored) — the importer test's own check;
- structure: of the headings, list items, links, table cells, code blocks, block quotes and
  images in the WordPress HTML, how many are still there after the round trip.

Converters: markdownify and html2text with their defaults (ATX headings, no line wrapping),
and the importer's converter (markdownify with the overrides in html_markdown.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator import markdown  # noqa: E402
from generator.importers import html_markdown  # noqa: E402
from generator.importers.html_markdown import BodyContext, Picture, wordpress_html  # noqa: E402
from generator.importers.wxr import read_export  # noqa: E402

DEFAULT = REPO.parent / "shared" / "fixtures" / "wordpress" / "themeunittestdata.wordpress.xml"
STRUCTURE = {"headings": "//h1|//h2|//h3|//h4|//h5|//h6", "list items": "//li",
             "links": "//a[@href]", "table cells": "//td|//th", "code blocks": "//pre",
             "quotes": "//blockquote", "images": "//img"}
MARKS = re.compile(r"BROADSHEET(?:MORE|COMMENT)MARK\d*X?")


def chunks(html: str) -> list[str]:
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    html = html_markdown._SHORTCODE.sub("<br>", html)
    if not html.strip():
        return []
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in doc.xpath("//script|//style"):
        el.drop_tree()
    return [re.sub(r"\s+", "", t) for t in doc.itertext() if t.strip()]


def counts(html: str) -> dict[str, int]:
    if not html.strip():
        return dict.fromkeys(STRUCTURE, 0)
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    return {k: len(doc.xpath(x)) for k, x in STRUCTURE.items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("export", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--verbose", action="store_true", help="show the first text each body lost")
    args = ap.parse_args()
    import html2text
    import markdownify

    export = read_export(args.export)
    bodies = []
    for item in export.items:
        if item.type not in ("post", "page"):
            continue
        kids = export.children(item.id)
        ctx = BodyContext(gallery=lambda ids, kids=kids: [
            Picture(a.attachment_url, a.meta.get("_wp_attachment_image_alt", ""), a.excerpt)
            for a in (kids if ids is None else
                      [export.attachments[i] for i in ids if i in export.attachments])])
        bodies.append((item.content, MARKS.sub("", wordpress_html(item.content, ctx)), ctx))

    def h2t(html: str) -> str:
        h = html2text.HTML2Text()
        h.body_width = 0
        return h.handle(html)

    converters = {
        f"markdownify {markdownify.__version__ if hasattr(markdownify, '__version__') else ''}":
            lambda html: markdownify.markdownify(html, heading_style="ATX"),
        f"html2text {'.'.join(map(str, html2text.__version__))}": h2t,
        "importer (markdownify + overrides)": None,
    }
    print(f"{len(bodies)} bodies from {args.export.name}, {sum(len(b[0]) for b in bodies):,} "
          f"characters of HTML")
    for name, convert in converters.items():
        ours = name.startswith("importer")
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            results = [html_markdown.convert_body(raw, BodyContext(gallery=ctx.gallery)).markdown
                       if ours else convert(html) for raw, html, ctx in bodies]
            best = min(best, time.perf_counter() - start)
        lost = 0
        kept = dict.fromkeys(STRUCTURE, 0)
        total = dict.fromkeys(STRUCTURE, 0)
        for (_, html, _ctx), md in zip(bodies, results, strict=True):
            rendered = markdown.to_html(md)[0]
            text = re.sub(r"\s+", "", lxml.html.fragment_fromstring(
                rendered, create_parent="div").text_content()) if rendered.strip() else ""
            pos, ok = 0, True
            for chunk in chunks(html):
                found = text.find(chunk, pos)
                if found < 0:
                    ok = False
                    if args.verbose:
                        print(f"  lost: {chunk[:70]!r}")
                    break
                pos = found + len(chunk)
            lost += not ok
            before, after = counts(html), counts(rendered)
            for k in STRUCTURE:
                total[k] += before[k]
                kept[k] += min(before[k], after[k])
        structure = ", ".join(f"{k} {kept[k]}/{total[k]}" for k in STRUCTURE)
        print(f"\n{name}\n  time {best * 1000:.0f} ms (fastest of {args.repeat})\n"
              f"  bodies losing text: {lost} of {len(bodies)}\n  structure kept: {structure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
