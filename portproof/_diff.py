"""`portproof diff OLD.py NEW.py`: does a Python 3 port behave like its Python 2 original?
(The comparison: _differ; its report: _diff_report.)"""
from __future__ import annotations

from portproof import _diff_options


def add_arguments(parser) -> None:
    parser.add_argument("old", metavar="OLD.py", help="the Python 2 original")
    parser.add_argument("new", metavar="NEW.py", help="its Python 3 port")
    _diff_options.add_options(parser)
    parser.set_defaults(command=diff)


def diff(args) -> int:
    return _diff_options.run_diff(args)[0]
