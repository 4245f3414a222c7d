"""The shape of the code: imports run one way and no module reaches into another's private names.

These walk the source with `ast`, so they see imports inside functions too (a late import is still
a circle, only a hidden one).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _imports(modules: dict[str, Path]) -> dict[str, set[tuple[str, str | None]]]:
    """module -> {(imported module, imported name or None)} for every import of our own code."""
    out: dict[str, set[tuple[str, str | None]]] = {}
    for name, path in modules.items():
        found: set[tuple[str, str | None]] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(a.name, None) for a in node.names if a.name.split(".")[0] == "generator"}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    source = _resolve(name, path.name == "__init__.py", node.level, node.module)
                else:
                    source = node.module or ""
                if source.split(".")[0] != "generator":
                    continue
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    found.add((sub, None) if sub in modules else (source, alias.name))
        out[name] = found
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {m: {target for target, _ in found if target in modules and target != m}
            for m, found in _imports(modules).items()}


def _is_package_of(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def test_no_import_circle_in_generator():
    graph = _graph()
    # A package's __init__ re-exporting its own submodules is not a circle: importing
    # generator.sources.fields runs generator/sources/__init__.py first by Python's rules, so
    # drop edges from a submodule up to its own package.
    graph = {m: {t for t in ts if not _is_package_of(t, m)} for m, ts in graph.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _private(name: str | None) -> bool:
    return bool(name) and name.startswith("_") and not name.endswith("__")


def _private_attribute_uses(modules: dict[str, Path]) -> list[str]:
    """`cache._last` style reaches: a module imported by name, then a private attribute of it."""
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = (_resolve(name, path.name == "__init__.py", node.level, node.module)
                          if node.level else node.module or "")
                for alias in node.names:
                    if f"{source}.{alias.name}" in modules:
                        aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and _private(node.attr)):
                found.append(f"{name} uses {aliases[node.value.id]}.{node.attr}")
    return sorted(found)


def test_no_module_imports_another_modules_private_name():
    modules = _modules()
    offences = sorted(f"{m} imports {name} from {source}"
                      for m, found in _imports(modules).items()
                      for source, name in found
                      if _private(name) and source != m)
    assert offences + _private_attribute_uses(modules) == []


def test_commands_never_imported_by_the_engine():
    """cli assembles commands; commands use the engine; the engine never imports either."""
    graph = _graph()
    engine = [m for m in graph if not (m.startswith("generator.commands") or m in {
        "generator.cli", "generator.__main__"})]
    upward = sorted(f"{m} -> {t}" for m in engine for t in graph[m]
                    if t.startswith("generator.commands") or t == "generator.cli")
    assert upward == []
