"""Importers: another system's export -> Broadsheet articles (Markdown with front matter).

Each importer reads its export into plain frozen records (`wxr.py` for WordPress), maps them to
articles with only the documented front-matter fields (`wordpress.py`), converts bodies
(`html_markdown.py`) and says what it did in an `ImportReport` (`report.py`). Nothing here
touches the build: an imported site is just a site folder.
"""
