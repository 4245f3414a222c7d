"""Site configuration: the declared settings (`settings.py`), how a value is checked and
described (`kinds.py`), reading `site.toml` with the command line's overrides (`load.py`), and
the reference page docs/configuration.md (`reference.py`).

To add a setting, see `settings.py`: it is one field of `Config`.
"""

from .kinds import LANGUAGE_TAG_RULE, language_tag, valid_base_url
from .load import load_config, parse_config
from .settings import (
    EMBED_HOSTS,
    HUGO_TOKENS,
    POST_META,
    SIDEBAR_VALUES,
    TABLES,
    TERM_TAXONOMIES,
    THUMBNAIL_VISIBILITY,
    WIDGET_NAMES,
    AuthorProfile,
    Config,
    LanguageSettings,
    MenuItem,
    SectionSettings,
)

__all__ = [
    "EMBED_HOSTS", "HUGO_TOKENS", "LANGUAGE_TAG_RULE", "POST_META",
    "SIDEBAR_VALUES", "TABLES", "TERM_TAXONOMIES", "THUMBNAIL_VISIBILITY", "WIDGET_NAMES",
    "AuthorProfile", "Config", "LanguageSettings", "MenuItem", "SectionSettings", "language_tag",
    "load_config", "parse_config", "valid_base_url",
]
