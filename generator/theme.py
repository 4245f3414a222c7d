"""Where the built-in theme lives. A leaf module, so the cache, the renderer and the message
catalogues can all find the theme without importing each other (render -> images -> cache ->
render was an import circle when generator.render was the first module a process loaded)."""

from __future__ import annotations

from pathlib import Path


def theme_dir(name: str) -> Path:
    """The built-in theme's `templates` or `static`: inside the installed package, or the repo."""
    installed = Path(__file__).parent / "theme" / name
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / name
