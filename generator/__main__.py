"""`python -m generator` is the `broadsheet` command."""

from .cli import entry

entry()
