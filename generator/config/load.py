"""Reading a site's configuration: `site.toml` checked against the declared settings, then the
command line's overrides.

Unknown keys are errors with a "did you mean" suggestion; a wrong value names the file, the line,
the key, the value and what is allowed (each kind in `kinds.py` says it).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .kinds import Reader, language_tag, parse_table, valid_base_url
from .settings import Config

_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def parse_config(path: Path, text: str) -> dict[str, Any]:
    """Validate site.toml text and return Config keyword arguments (only the keys it sets)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_LINE.search(str(exc))
        raise ConfigError(path, f"not valid TOML: {exc}", int(at.group(1)) if at else None) from None
    reader = Reader(path, text)
    kw = parse_table(reader, Config, data)
    _check_term_languages(reader, kw)
    return kw


def _check_term_languages(reader: Reader, kw: dict[str, Any]) -> None:
    """`[terms]` may only name languages that have an edition: the default and [languages]."""
    languages = kw.get("languages", {})
    default = kw.get("language", Config.language)
    codes = dict.fromkeys((language_tag(default) or default, *languages))
    for taxonomy, terms in kw.get("terms", {}).items():
        for term, names in terms.items():
            for code in names:
                if code not in codes or not languages:
                    have = (f"the site's languages are {', '.join(codes)}" if languages else
                            "the site has no [languages], so no other edition")
                    raise reader.fail(f"terms.{taxonomy}.{term}",
                                      f"[terms.{taxonomy}.{term}] names {code!r}, which is not "
                                      f"one of the editions: {have} (docs/languages.md)")


def _hugo_settings(site_dir: Path) -> dict[str, Any]:
    """A Hugo site's own configuration (hugo.toml, config.toml, config/_default/ ...) read as
    settings, with `warnings` for the keys Broadsheet does not support: generator/hugo/config.py."""
    from ..hugo import config as hugo_config

    if not hugo_config.is_hugo_site(site_dir):
        return {}
    kw, warnings = hugo_config.read(site_dir)
    return {**kw, "warnings": warnings, "templates_key": hugo_config.inputs_key(site_dir)}


def load_config(site_dir: Path, **overrides: Any) -> Config:
    """Read `<site_dir>/site.toml` (optional) and apply command-line overrides (None = unset)."""
    site_dir = site_dir.resolve()
    path = site_dir / "site.toml"
    kw: dict[str, Any] = {}
    if path.is_file():
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ConfigError("site.toml", f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte "
                                           f"offset {exc.start}; save the file as UTF-8", line) from None
        kw = parse_config(Path("site.toml"), text)
    kw = {**_hugo_settings(site_dir), **kw}  # site.toml wins where both set a key
    kw["site_dir"] = site_dir
    kw["output_dir"] = site_dir / "output"
    for key, value in overrides.items():
        if value is not None:
            kw[key] = value
    if "base_url" in overrides and overrides["base_url"] is not None:
        url = overrides["base_url"]
        if not valid_base_url(url):
            raise ConfigError("--base-url", f"{url!r} must be an absolute http(s) URL with a host")
    kw["output_dir"] = Path(kw["output_dir"]).resolve()
    if kw.get("languages"):  # editions are named by canonical codes ("pt_br" -> "pt-BR")
        kw["language"] = language_tag(kw.get("language", Config.language)) or kw["language"]
    if not kw.get("copyright"):
        kw["copyright"] = "© " + kw.get("title", Config.title)
    return replace(Config(), **kw)
