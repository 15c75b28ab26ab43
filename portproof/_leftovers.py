"""What the machine port leaves of Python 2: could_not_port() walks the port's text (ast), its
doctests' examples included, so that what a fixer did port is never reported, and names each
line and what to do there.

Each table holds only what fissix 24.4.24 and pyupgrade 3.22 leave as it was (checked in
tests/harness/test_port.py); a name the program binds itself (a parameter `file`, its own `cmp`)
is its own and never reported.
"""
from __future__ import annotations

import ast
import doctest

# Python 2's string module: what Python 3's no longer has.
STRING = {
    "letters": "string.ascii_letters", "lowercase": "string.ascii_lowercase",
    "uppercase": "string.ascii_uppercase",
    "maketrans": "str.maketrans (bytes.maketrans for bytes)",
    **{name: f"the str method .{name}()" for name in (
        "capitalize", "center", "count", "expandtabs", "find", "index", "ljust", "lower",
        "lstrip", "replace", "rfind", "rindex", "rjust", "rsplit", "rstrip", "split", "strip",
        "swapcase", "translate", "upper", "zfill")},
    "join": "sep.join(words)", "joinfields": "sep.join(words)", "splitfields": "s.split(sep)",
    "atoi": "int()", "atol": "int()", "atof": "float()",
}
# Builtins Python 3 has not and no fixer replaces.
BUILTINS = {
    "file": "open()",
    "cmp": "(a > b) - (a < b), or functools.cmp_to_key where a key is wanted",
    "coerce": "the operands' own conversion; Python 3 has no coercion",
    "buffer": "memoryview()",
}
# Special methods Python 3 never calls.
METHODS = {
    "__div__": "__truediv__ (and __floordiv__ for //)",
    "__idiv__": "__itruediv__ (and __ifloordiv__)",
    "__rdiv__": "__rtruediv__ (and __rfloordiv__)",
    "__cmp__": "__eq__ and __lt__ (functools.total_ordering for the rest)",
    "__unicode__": "__str__",
    "__getslice__": "__getitem__ with a slice", "__setslice__": "__setitem__ with a slice",
    "__delslice__": "__delitem__ with a slice",
    "__coerce__": "nothing: Python 3 has no coercion",
    "__hex__": "__index__", "__oct__": "__index__", "__long__": "__int__",
}
# Standard modules removed in Python 3 that fissix's imports fixer does not rename.
MODULES = {
    "md5": "hashlib.md5", "sha": "hashlib.sha1", "sets": "the builtin set and frozenset",
    "new": "types", "popen2": "subprocess", "mimetools": "email", "rfc822": "email",
    "exceptions": "builtins", "htmllib": "html.parser", "sgmllib": "html.parser",
    "UserDict": "collections.UserDict, or collections.abc.MutableMapping for DictMixin",
}


def could_not_port(text: str, name: str) -> list[str]:
    """'NAME:LINE: what: do this' for each Python 2 name or syntax left in the port `text`,
    once a line, in line order; doctests included."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:  # ValueError: a null byte, before Python 3.12
        line, why = getattr(exc, "lineno", None) or 1, getattr(exc, "msg", str(exc))
        return [f"{name}:{line}: not valid Python 3 ({why}): port that line by hand"]
    found, examples = _doctests(tree)
    # Names in doctests: they see the module's globals, and each other's.
    doctests = ast.Module(body=examples, type_ignores=[])
    found += _names(tree, tree) + _names(doctests, ast.Module(body=[*tree.body, *examples],
                                                              type_ignores=[]))
    return [f"{name}:{line}: {what}" for line, what in sorted(set(found))]


def _bound(tree: ast.AST, imports: bool = True) -> set[str]:
    """Every name the module binds anywhere (by imports too, or not): its own, whatever
    Python 2 meant by it."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif imports and isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


def _names(tree: ast.AST, context: ast.AST) -> list[tuple[int, str]]:
    """What `tree` leaves, where `context` binds its names."""
    bound = _bound(context)
    # `string` is the module only where the program imports it as itself, and binds that
    # name no other way.
    imports = [(a.name, a.asname or a.name.split(".")[0], isinstance(n, ast.Import))
               for n in ast.walk(context) if isinstance(n, (ast.Import, ast.ImportFrom))
               for a in n.names]
    string_module = ("string", "string", True) in imports and "string" not in _bound(
        context, imports=False) and all(i == ("string", "string", True)
                                     for i in imports if i[1] == "string")
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if (string_module and isinstance(node.value, ast.Name)
                    and node.value.id == "string" and node.attr in STRING):
                found.append((node.lineno, f"string.{node.attr} is gone in Python 3: use "
                                           f"{STRING[node.attr]}"))
            elif node.attr == "has_key":
                found.append((node.lineno, ".has_key is gone in Python 3 (fissix rewrites "
                                           "only x.has_key(k)): use `k in x`"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module == "string":
                found.extend((node.lineno, f"string.{a.name} is gone in Python 3: use "
                                           f"{STRING[a.name]}")
                             for a in node.names if a.name in STRING)
            elif node.module in MODULES:
                found.append((node.lineno, f"import {node.module}: the module is gone in "
                                           f"Python 3: use {MODULES[node.module]}"))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, f"import {a.name}: the module is gone in Python 3: use "
                                       f"{MODULES[a.name]}")
                         for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in BUILTINS and func.id not in bound:
                found.append((node.lineno, f"{func.id}() is not a builtin in Python 3: use "
                                           f"{BUILTINS[func.id]}"))
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called in ("sort", "sorted") and any(k.arg == "cmp" for k in node.keywords):
                found.append((node.lineno, f"cmp= to {called}() is gone in Python 3: use "
                                           "key=functools.cmp_to_key(f)"))
        elif isinstance(node, ast.ClassDef):
            found.extend((f.lineno, f"{f.name} is never called by Python 3: define "
                                    f"{METHODS[f.name]}")
                         for f in node.body
                         if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and f.name in METHODS)
    return found


def _doctests(tree: ast.AST) -> tuple[list[tuple[int, str]], list[ast.stmt]]:
    """Doctest examples that are not Python 3 (fissix's doctest mode leaves what it cannot
    parse as it was), and the statements of those that are, at their lines in the file."""
    found, statements = [], []
    parser = doctest.DocTestParser()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef)):
            continue
        docstring = ast.get_docstring(node, clean=False)
        if not docstring or not node.body:
            continue
        start = node.body[0].lineno  # the docstring's first line
        try:
            examples = parser.get_examples(docstring)
        except ValueError as exc:  # a badly indented example
            found.append((start, f"doctest cannot be read ({exc}): port it by hand"))
            continue
        for example in examples:
            try:
                # As doctest compiles an example.
                parsed = ast.parse(example.source, "<doctest>", "single")
                compile(parsed, "<doctest>", "single", dont_inherit=True)
            except (SyntaxError, ValueError) as exc:
                why = getattr(exc, "msg", str(exc))
                found.append((start + example.lineno, f"doctest is not valid Python 3 "
                                                      f"({why}): port it by hand"))
                continue
            # The example's line 1 is the docstring's line example.lineno.
            statements.extend(ast.increment_lineno(parsed, start + example.lineno - 1).body)
    return found, statements
