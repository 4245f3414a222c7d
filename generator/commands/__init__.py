"""The `broadsheet` subcommands, one module each, over the helpers in `common`.

Each module has `add_arguments(parser)` and `run(args) -> exit code`; `generator/cli.py` only
assembles the parser from `COMMANDS`. Nothing below `generator/` imports this package.
"""
