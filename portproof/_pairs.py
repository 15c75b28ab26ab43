"""A team's pairs, from the `[tool.portproof]` table of its pyproject.toml: each
`[[tool.portproof.pairs]]` names OLD and NEW (paths from the file's folder) and takes diff's own
options, spelled as their long options without the dashes; a key of `[tool.portproof]` itself
is a default for every pair, and an option given on the command line overrides both.

Invariant: a pair's settings are built as diff's command line builds them (the same namespace,
checked by _diff_options.settings_from), and any bad value is one UsageError that names the file
and the key (`tool.portproof.pairs[2].timeout`).
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
from dataclasses import dataclass

from portproof import _diff_options
from portproof._differ import DiffSettings
from portproof._escape import quoted
from portproof._usage import Parser, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library
    import tomli as tomllib

CONFIG = "pyproject.toml"
TABLE = "tool.portproof"
# The options of diff a table may set; --json, --html and --jobs are the whole run's, not a
# pair's, and stay on the command line.
KEYS = ("python", "old-python", "start-method", "mode", "runs", "baseline-runs", "ignore",
        "workdir", "stdin", "timeout", "fast", "strict", "args")
# Paths a table gives from its file's folder, as the pairs' OLD and NEW are.
PATHS = ("workdir", "stdin")


@dataclass(frozen=True)
class Pair:
    """One pair of a config: its name (default: NEW as written), diff's arguments for it, and
    for each of their names (`timeout`), the key that set it (`tool.portproof.pairs[2].timeout`),
    or none where the command line or diff's default did."""

    name: str
    args: argparse.Namespace
    keys: dict[str, str]

    def settings(self, config: str) -> DiffSettings:
        """The pair's settings, or a UsageError naming `config` and the key that is wrong."""
        try:
            return _diff_options.settings_from(self.args)
        except UsageError as exc:
            message = str(exc)
            for option, key in self.keys.items():
                if message.startswith(f"--{option} "):
                    raise UsageError(f"{config}: {key}: {message[len(option) + 3:]}") from None
            raise


def find(folder: str) -> str | None:
    """The pyproject.toml with a [tool.portproof] table in `folder` or the nearest folder above
    it, as pytest and ruff find theirs; None if there is none."""
    folder = os.path.abspath(folder)
    while True:
        path = os.path.join(folder, CONFIG)
        if os.path.isfile(path):
            try:
                if table_of(read(path)) is not None:
                    return path
            except UsageError:
                return path  # the first of ours: its error is said when it is read
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def read(path: str) -> dict:
    """The TOML document at `path`, or a UsageError."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not TOML: {exc}") from None


def table_of(document: dict):
    """The [tool.portproof] of a TOML document, or None."""
    tool = document.get("tool")
    return tool.get("portproof") if isinstance(tool, dict) else None


def config(path: str | None) -> str:
    """The config to read: `path` (--config), or the one found from the current folder."""
    if path is None:
        path = find(os.curdir)
        if path is None:
            raise UsageError(f"no {CONFIG} with a [{TABLE}] table in this folder or any above "
                             "it; name one with --config")
        return os.path.relpath(path)
    if not os.path.isfile(path):
        raise UsageError(f"--config {quoted(path)} is not a file")
    return path


def pairs(path: str, given: argparse.Namespace | None = None,
          overrides: frozenset[str] = frozenset()) -> list[Pair]:
    """The pairs of the config at `path`, each with diff's arguments: `given`'s values for the
    names in `overrides` (the options on the command line), else the pair's, else the table's
    defaults, else diff's."""
    table = table_of(read(path))
    if not isinstance(table, dict):
        raise UsageError(f"{path}: no [{TABLE}] table")
    listed = table.get("pairs")
    if not isinstance(listed, list) or not listed:
        raise UsageError(f"{path}: {TABLE}.pairs: no pairs; add [[{TABLE}.pairs]] tables with "
                         "old and new")
    folder = os.path.dirname(os.path.abspath(path))
    defaults = {k: v for k, v in table.items() if k != "pairs"}
    found: list[Pair] = []
    names: dict[str, int] = {}
    for n, pair in enumerate(listed):
        where = f"{TABLE}.pairs[{n}]"
        if not isinstance(pair, dict):
            raise UsageError(f"{path}: {where}: not a table; write [[{TABLE}.pairs]]")
        args, keys = _namespace(path, folder, [(f"{TABLE}.", defaults, ()),
                                               (f"{where}.", pair, ("old", "new", "name"))])
        for side in ("old", "new"):
            if side not in pair:
                raise UsageError(f"{path}: {where}: no {side}; give the path of the "
                                 f"{'Python 2 original' if side == 'old' else 'Python 3 port'}")
            if not isinstance(pair[side], str):
                raise UsageError(f"{path}: {where}.{side}: not a string")
            full = os.path.join(folder, pair[side])
            if not os.path.isfile(full):
                raise UsageError(f"{path}: {where}.{side}: {quoted(pair[side])} is not a file "
                                 f"(paths are from {os.path.relpath(folder)})")
            setattr(args, side, full)
        name = pair.get("name", pair["new"])
        if not isinstance(name, str) or not name:
            raise UsageError(f"{path}: {where}.name: not a string")
        if name in names:
            raise UsageError(f"{path}: {where}.name: {quoted(name)} is also pairs[{names[name]}]"
                             "'s; give each pair a name of its own")
        names[name] = n
        for dest in overrides:
            setattr(args, dest, copy.copy(getattr(given, dest)))
            keys.pop(_key_of(dest), None)
        if "real_time" in overrides:  # the table's `fast = true` is overridden too
            args.fast = False
        found.append(Pair(name, args, keys))
    return found


def pair(what: str, old: str, new: str, options: dict) -> Pair:
    """A pair given in code (the pytest plugin's fixture): OLD and NEW from the current folder,
    `options` keyed as a table's; a bad one is a UsageError that starts with `what`."""
    args, keys = _namespace(what, os.curdir, [("", options, ())])
    args.old, args.new = old, new
    return Pair(new, args, keys)


def _namespace(path: str, folder: str, tables) -> tuple[argparse.Namespace, dict[str, str]]:
    """diff's arguments with diff's defaults, then each of `tables` (where, keys, its own keys
    that are not options) set on them in turn, and which key set each."""
    parser = _parser()
    args = parser.parse_args([])
    actions = {a.option_strings[0][2:] if a.option_strings else a.dest: a
               for a in parser._actions}
    keys: dict[str, str] = {}
    for where, table, own in tables:
        for key, value in table.items():
            if key in own:
                continue
            if key not in KEYS:
                raise UsageError(f"{path}: {where}{key}: not a key of portproof's; the keys are "
                                 f"{', '.join([*own, *KEYS])}")
            action = actions[key]
            try:
                converted = _value(action, value)
            except (argparse.ArgumentTypeError, ValueError, TypeError) as exc:
                raise UsageError(f"{path}: {where}{key}: {exc}") from None
            if key in PATHS:
                converted = os.path.join(folder, converted)
                if not (os.path.isdir if key == "workdir" else os.path.isfile)(converted):
                    raise UsageError(f"{path}: {where}{key}: {quoted(str(value))} is not a "
                                     f"{'folder' if key == 'workdir' else 'file'} (paths are "
                                     f"from {os.path.relpath(folder)})")
            setattr(args, action.dest, converted)
            keys[key] = f"{where}{key}"
    return args, keys


def _value(action: argparse.Action, value):
    """`value`, as TOML gave it, made what the command line makes of the option `action`."""
    if isinstance(action, argparse._StoreTrueAction):
        if not isinstance(value, bool):
            raise TypeError(f"{value!r} is not true or false")
        return value
    if isinstance(action, argparse._AppendAction) or action.nargs == "*":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"{value!r} is not a list of strings")
        return [_scalar(action, v) for v in value]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"{value!r} is not a {'number' if action.type else 'string'}")
    return _scalar(action, str(value))


def _scalar(action: argparse.Action, text: str):
    converted = action.type(text) if action.type else text
    if action.choices is not None and converted not in action.choices:
        raise ValueError(f"{quoted(text)} is not one of {', '.join(map(str, action.choices))}")
    return converted


def _parser() -> Parser:
    parser = Parser(add_help=False)
    _diff_options.add_options(parser)
    return parser


def _key_of(dest: str) -> str:
    return dest.replace("_", "-")


def given_options(argv: list[str]) -> frozenset[str]:
    """The names (dests) of diff's options that the command line `argv` gives."""
    parser = _parser()
    for action in parser._actions:
        action.default = argparse.SUPPRESS
    parser.add_argument("--all", action="store_true", default=argparse.SUPPRESS)
    parser.add_argument("--config", default=argparse.SUPPRESS)
    given, _ = parser.parse_known_args(argv)
    return frozenset(dest for dest in vars(given)
                     if dest not in ("all", "config", "args", "json", "html", "jobs"))
