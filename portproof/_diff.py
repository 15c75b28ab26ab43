"""`portproof diff OLD.py NEW.py`: does a Python 3 port behave like its Python 2 original?
(The comparison: _differ; its report: _diff_report.) `portproof diff --all`: every pair a team's
pyproject.toml lists (_pairs, _diff_all)."""
from __future__ import annotations

import argparse

from portproof import _diff_options
from portproof._usage import UsageError


def add_arguments(parser) -> None:
    parser.add_argument("old", metavar="OLD.py", help="the Python 2 original")
    parser.add_argument("new", metavar="NEW.py", help="its Python 3 port")
    parser.add_argument("--all", action=_All, nargs=0, default=False,
                        help="diff every pair of the [tool.portproof] table of pyproject.toml "
                             "(OLD.py and NEW.py are not given); the options given override "
                             "the table's")
    parser.add_argument("--config", metavar="FILE",
                        help="with --all: the pyproject.toml to read (default: the one in this "
                             "folder or the nearest above with a [tool.portproof] table)")
    _diff_options.add_options(parser)
    parser.set_defaults(command=diff)


class _All(argparse.Action):
    """--all: OLD.py and NEW.py are left out, so the parser no longer asks for them."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        setattr(namespace, self.dest, True)
        for action in parser._actions:
            if action.dest in ("old", "new"):
                action.required = False


def diff(args) -> int:
    if args.all:
        if args.old is not None:
            raise UsageError("--all diffs the pairs of the config: give no OLD.py or NEW.py")
        from portproof import _diff_all
        return _diff_all.diff_all(args)
    if args.config is not None:
        raise UsageError("--config names the pairs for --all; give --all too")
    return _diff_options.run_diff(args)[0]
