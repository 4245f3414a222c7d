"""The live-reload script as injected into HTML responses: the theme's `serve/live.js` after a
JSON element with the page's state (version, own file, base path, current error).

The script lives in the theme's templates folder, which the build never copies into `output/`,
so it ships with the package but only `serve` sends it.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from ..render import theme_dir


@cache
def live_js() -> str:
    """The theme's live-reload script, read once."""
    text = (theme_dir("templates") / "serve" / "live.js").read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise ValueError("serve/live.js must not contain '</script': it is inlined in pages")
    return text


def live_script(state: dict[str, Any]) -> bytes:
    """The two elements put before a page's `</body>`."""
    # "<" escaped so no value (an error message quoting HTML) can end the element early
    data = json.dumps(state, ensure_ascii=False).replace("<", "\\u003c")
    return (f'<script type="application/json" id="__broadsheet_state">{data}</script>\n'
            f'<script id="__broadsheet_live">\n{live_js()}</script>\n').encode()
