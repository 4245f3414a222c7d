"""Translate snowballstemmer's generated Python stemmers into JavaScript, for search.js.

The browser must stem a query exactly as generator/analysis.py stemmed the articles, so it runs
the same algorithms: this reads the Python modules that the Snowball compiler generated for
snowballstemmer (a small, regular subset of Python) with `ast` and writes one ES module per
analyzer language into static/js/stem/<lang>.js, on the runtime in static/js/stem/base.js (a
port of snowballstemmer's basestemmer.py). Each module exports `stem(word)` and `stopWords`
(generator/stopwords.py's list, folded as analysis.py folds it).

How the Python maps onto JavaScript:
- `try: ... except labN: pass` with `raise labN()` inside is a labelled block
  `labN: { ... break labN; }`; `while True:` is `while (true)`, and `for _ in 0, 0:` a loop
  run that many times; `break` and `continue` keep their meaning (a labelled block is not a
  loop, so a bare `break` still leaves the loop around it).
- Class attributes: groupings (`g_*`, a set or a string of characters) become Sets, Among
  tables (`a_*`) arrays of `Among` (a method in an entry calls the stemmer's routine),
  string tables (`as_*`) arrays; `B_*`, `I_*`, `S_*` become instance fields.
- `self.__r_x()` is `this.r_x()`, `Class.a_0` the module constant `a_0`, `len(x)` is
  `x.length`. Locals are declared with `let` at the top of their function (Python scopes a
  variable to its function, JavaScript's `let` to its block).
Anything outside this subset stops the translation with the line it is on, so a new
snowballstemmer that generates other code fails loudly rather than translating it wrongly.

The generated files are committed; tests/test_search_languages.py runs `expected()` and fails
when they differ, and stems a few thousand words per language in Chromium against the Python.

    python tools/snowball_js.py          # (re)write static/js/stem/<lang>.js
    python tools/snowball_js.py --check  # exit 1, naming the files, if any is not up to date
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "static" / "js" / "stem"
RUNTIME = "base.js"  # hand-written, never generated

sys.path.insert(0, str(REPO))
from generator.analysis import LANGUAGES, Analyzer, Language  # noqa: E402


class Unsupported(Exception):
    """Python outside the subset the Snowball compiler generates."""


def _fail(node: ast.AST, what: str) -> Unsupported:
    return Unsupported(f"line {getattr(node, 'lineno', '?')}: {what}: {ast.unparse(node)[:120]}")


def _js_string(value: str) -> str:
    if any(ord(c) > 0xFFFF for c in value):
        raise Unsupported(f"a character beyond the BMP in {value!r}: JS would index it differently")
    return json.dumps(value, ensure_ascii=False)


def _method(name: str) -> str:
    return name[2:] if name.startswith("__") else name


_COMPARE = {ast.Eq: "===", ast.NotEq: "!==", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
            ast.GtE: ">="}
_BINARY = {ast.Add: "+", ast.Sub: "-"}
_BOOL = {ast.Or: "||", ast.And: "&&"}


class _Function:
    """Translates the body of one method."""

    def __init__(self, class_name: str) -> None:
        self.class_name = class_name
        self.labels: list[tuple[str, str]] = []  # (Python label, JS label), innermost last
        self.used: set[str] = set()
        self.loops = 0

    # --- expressions ---

    def expr(self, node: ast.expr, operand: bool = False) -> str:
        text = self._expr(node)
        if operand and isinstance(node, (ast.BinOp, ast.BoolOp, ast.Compare, ast.UnaryOp)):
            return f"({text})"
        return text

    def _expr(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return "true" if node.value else "false"
            if isinstance(node.value, int):
                return str(node.value)
            if isinstance(node.value, str):
                return _js_string(node.value)
            if node.value is None:
                return "null"
        elif isinstance(node, ast.Name):
            if node.id == "self":
                return "this"
            return node.id
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "self":
                return f"this.{_method(node.attr)}"
            if node.value.id == self.class_name:
                return node.attr  # a module constant
        elif isinstance(node, ast.Call) and not node.keywords:
            args = ", ".join(self.expr(a) for a in node.args)
            if isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1:
                return f"{self.expr(node.args[0], True)}.length"
            if isinstance(node.func, ast.Attribute):
                return f"{self.expr(node.func)}({args})"
        elif isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
            return f"{self.expr(node.value, True)}[{self.expr(node.slice)}]"
        elif isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return f"!{self.expr(node.operand, True)}"
            if isinstance(node.op, ast.USub):
                return f"-{self.expr(node.operand, True)}"
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return (f"{self.expr(node.left, True)} {_BINARY[type(node.op)]} "
                    f"{self.expr(node.right, True)}")
        elif isinstance(node, ast.BoolOp):
            return f" {_BOOL[type(node.op)]} ".join(self.expr(v, True) for v in node.values)
        elif (isinstance(node, ast.Compare) and len(node.ops) == 1
              and type(node.ops[0]) in _COMPARE):
            return (f"{self.expr(node.left, True)} {_COMPARE[type(node.ops[0])]} "
                    f"{self.expr(node.comparators[0], True)}")
        raise _fail(node, "an expression outside the Snowball subset")

    # --- statements ---

    def block(self, body: list[ast.stmt], depth: int) -> list[str]:
        out: list[str] = []
        for stmt in body:
            out += self.stmt(stmt, depth)
        return out

    def stmt(self, node: ast.stmt, depth: int) -> list[str]:
        pad = "  " * depth
        if isinstance(node, ast.Pass):
            return []
        if isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return []  # a docstring
            return [f"{pad}{self.expr(node.value)};"]
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                self.used.add(target.id)
            elif not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                      and target.value.id == "self"):
                raise _fail(node, "an assignment to something other than a local or self.x")
            return [f"{pad}{self.expr(target)} = {self.expr(node.value)};"]
        if isinstance(node, ast.AugAssign) and type(node.op) in _BINARY:
            return [f"{pad}{self.expr(node.target)} {_BINARY[type(node.op)]}= "
                    f"{self.expr(node.value)};"]
        if isinstance(node, ast.Return):
            return [f"{pad}return{'' if node.value is None else ' ' + self.expr(node.value)};"]
        if isinstance(node, ast.Break):
            return [f"{pad}break;"]
        if isinstance(node, ast.Continue):
            return [f"{pad}continue;"]
        if isinstance(node, ast.If):
            return self._if(node, depth, pad)
        if isinstance(node, ast.While):
            if not (isinstance(node.test, ast.Constant) and node.test.value is True) or node.orelse:
                raise _fail(node, "a loop other than `while True:`")
            return [f"{pad}while (true) {{", *self.block(node.body, depth + 1), f"{pad}}}"]
        if isinstance(node, ast.For):
            if (not isinstance(node.target, ast.Name) or node.target.id != "_" or node.orelse
                    or not isinstance(node.iter, ast.Tuple)):
                raise _fail(node, "a loop other than `for _ in 0, 0:`")
            self.loops += 1
            i = f"_i{self.loops}"
            head = f"{pad}for (let {i} = 0; {i} < {len(node.iter.elts)}; {i}++) {{"
            return [head, *self.block(node.body, depth + 1), f"{pad}}}"]
        if isinstance(node, ast.Try):
            return self._try(node, depth, pad)
        if isinstance(node, ast.Raise):
            exc = node.exc
            if (isinstance(exc, ast.Call) and isinstance(exc.func, ast.Name) and not exc.args
                    and node.cause is None):
                for python, js in reversed(self.labels):
                    if python == exc.func.id:
                        return [f"{pad}break {js};"]
            raise _fail(node, "a raise of no enclosing label")
        raise _fail(node, "a statement outside the Snowball subset")

    def _if(self, node: ast.If, depth: int, pad: str) -> list[str]:
        out = [f"{pad}if ({self.expr(node.test)}) {{", *self.block(node.body, depth + 1)]
        orelse = node.orelse
        while len(orelse) == 1 and isinstance(orelse[0], ast.If):
            out += [f"{pad}}} else if ({self.expr(orelse[0].test)}) {{",
                    *self.block(orelse[0].body, depth + 1)]
            orelse = orelse[0].orelse
        if orelse:
            out += [f"{pad}}} else {{", *self.block(orelse, depth + 1)]
        return [*out, f"{pad}}}"]

    def _try(self, node: ast.Try, depth: int, pad: str) -> list[str]:
        handler = node.handlers[0] if len(node.handlers) == 1 else None
        if (handler is None or node.orelse or node.finalbody or handler.name
                or not isinstance(handler.type, ast.Name) or not handler.type.id.startswith("lab")
                or not all(isinstance(s, ast.Pass) for s in handler.body)):
            raise _fail(node, "a try other than `try: ... except labN: pass`")
        python = handler.type.id
        js = python
        n = 1
        while any(j == js for _, j in self.labels):  # JS forbids a label inside one of its name
            n += 1
            js = f"{python}_{n}"
        self.labels.append((python, js))
        body = self.block(node.body, depth + 1)
        self.labels.pop()
        return [f"{pad}{js}: {{", *body, f"{pad}}}"]


def _constant(node: ast.expr, class_name: str) -> str:
    """A class-level table: a grouping, an Among table or a string table."""
    if isinstance(node, ast.Set) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        chars = ([e.value for e in node.elts if isinstance(e, ast.Constant)]
                 if isinstance(node, ast.Set) else list(node.value))
        if isinstance(node, ast.Set) and len(chars) != len(node.elts):
            raise _fail(node, "a grouping of something other than strings")
        return f"new Set([{', '.join(_js_string(c) for c in chars)}])"
    if isinstance(node, ast.Tuple):
        return f"[{', '.join(_Function(class_name).expr(e) for e in node.elts)}]"
    if isinstance(node, ast.List):
        rows = []
        for entry in node.elts:
            if not (isinstance(entry, ast.Call) and isinstance(entry.func, ast.Name)
                    and entry.func.id == "Among" and 3 <= len(entry.args) <= 4):
                raise _fail(entry, "an Among table entry")
            args = [_Function(class_name).expr(a) for a in entry.args[:3]]
            if len(entry.args) == 4:
                method = entry.args[3]
                if not isinstance(method, ast.Name):
                    raise _fail(entry, "an Among method that is not a routine's name")
                args.append(f"(s) => s.{_method(method.id)}()")
            rows.append(f"  new Among({', '.join(args)}),")
        return "[\n" + "\n".join(rows) + "\n]"
    raise _fail(node, "a class attribute outside the Snowball subset")


def transpile(source: str) -> tuple[str, str]:
    """(the JS of the stemmer class and its tables, the class name) for one generated module."""
    tree = ast.parse(source)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)
               and any(isinstance(b, ast.Name) and b.id == "BaseStemmer" for b in n.bases)]
    if len(classes) != 1:
        raise Unsupported("expected one class derived from BaseStemmer")
    cls = classes[0]
    for node in tree.body:  # the rest: imports and the label exceptions
        if node is cls or isinstance(node, ast.ImportFrom):
            continue
        if not (isinstance(node, ast.ClassDef) and node.name.startswith("lab")
                and [ast.unparse(b) for b in node.bases] == ["BaseException"]):
            raise _fail(node, "a module statement outside the Snowball subset")
    constants: list[str] = []
    fields: list[str] = []
    methods: list[str] = []
    for node in cls.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.startswith(("B_", "I_", "S_")):
                fields.append(f"  {name} = {_Function(cls.name).expr(node.value)};")
            elif name.startswith(("g_", "a_", "as_")):
                constants.append(f"const {name} = {_constant(node.value, cls.name)};")
            else:
                raise _fail(node, "a class attribute of an unknown kind")
        elif isinstance(node, ast.FunctionDef):
            if [a.arg for a in node.args.args] != ["self"] or node.decorator_list:
                raise _fail(node, "a method taking more than self")
            function = _Function(cls.name)
            body = function.block(node.body, 2)
            local = sorted(function.used)
            head = [f"    let {', '.join(local)};"] if local else []
            methods.append("\n".join([f"  {_method(node.name)}() {{", *head, *body, "  }"]))
        else:
            raise _fail(node, "a class member outside the Snowball subset")
    js = "\n\n".join(constants) + "\n\n" + f"class {cls.name} extends BaseStemmer {{\n"
    js += "\n".join(fields) + ("\n\n" if fields else "") + "\n\n".join(methods) + "\n}\n"
    return js, cls.name


def module(language: Language) -> str:
    """The whole ES module of one analyzer language."""
    version = metadata.version("snowballstemmer")
    stop = sorted(Analyzer(language.code).stop)
    credit = ("// Stop words: generator/stopwords.py (sources there), folded as "
              "generator/analysis.py folds.")
    lines = [f"// The {language.code!r} analyzer for static/js/search.js. Generated by "
             "tools/snowball_js.py: do not edit;", "// run `python tools/snowball_js.py` "
             "after upgrading snowballstemmer or editing generator/stopwords.py.", "//"]
    if language.snowball:
        name = f"{language.snowball}_stemmer"
        path = Path(importlib.import_module(f"snowballstemmer.{name}").__file__ or "")
        source = path.read_text(encoding="utf-8")
        origin = source.splitlines()[0].lstrip("# ").strip()
        body, class_name = transpile(source)
        lines += [f"// Stemmer: snowballstemmer {version}, {name}.py ({origin}),",
                  "// BSD licence (https://snowballstem.org/license.html).", credit,
                  "", 'import { Among, BaseStemmer } from "./base.js";', "", body,
                  f"const stemmer = new {class_name}();", "",
                  "// The Snowball stem of a lower-case word (generator/analysis.py step 5).",
                  "export function stem(word) {", "  return stemmer.stemWord(word);", "}", "",
                  "// Whether a word is folded before it is stemmed (step 5).",
                  f"export const foldFirst = {'true' if language.fold_first else 'false'};"]
    else:
        lines += ["// No Snowball stemmer for this language: words are only folded.", credit,
                  "", "export function stem(word) {", "  return word;", "}", "",
                  "export const foldFirst = false;"]
    listed = "".join(f"\n  {_js_string(w)}," for w in stop) + ("\n" if stop else "")
    lines += ["", f"export const stopWords = new Set([{listed}]);", ""]
    return "\n".join(lines)


def expected() -> dict[str, str]:
    """File name under static/js/stem/ -> its generated text, for every analyzer language."""
    return {f"{code}.js": module(language) for code, language in sorted(LANGUAGES.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files not up to date")
    args = parser.parse_args(argv)
    files = expected()
    stale = [p.name for p in OUT.glob("*.js") if p.name not in files and p.name != RUNTIME]
    differ = [name for name, text in files.items()
              if not (OUT / name).is_file() or (OUT / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in sorted(differ + stale):
            print(f"static/js/stem/{name} is not what tools/snowball_js.py makes", file=sys.stderr)
        return 1 if differ or stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name in differ:
        (OUT / name).write_text(files[name], encoding="utf-8")
    for name in stale:
        (OUT / name).unlink()
    print(f"wrote {len(differ)}, removed {len(stale)} of static/js/stem/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
