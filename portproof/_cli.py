"""Command line: `portproof check|compare|diff|port|timeline ...`. Parses and dispatches; each
command lives in a module of its own (_check, _compare, _diff, _port, _timeline), imported only
when that command is named: `--version` and `--help` import argparse and little else
(tests/harness/test_cli.py), and add about 20 ms to an interpreter's start here
(benchmarks/startup.py).

Exit status: 0 every verdict holds (diff: all same), 1 some does not (diff: some differ),
4 (diff, port) none differs and some cell is unstable (differs in some runs only), 2 usage
error (one line on stderr), 3 portproof itself failed (as pytest's "internal error"), 130
interrupted (Ctrl-C), 128 + N terminated by signal N (143 SIGTERM, 129 SIGHUP), 141 stdout's
reader went away (`portproof ... | head`; 128 + SIGPIPE).
"""
from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence

from portproof import __version__
from portproof._escape import escape
from portproof._stop import STOPS, ending_signals_stop, stopped
from portproof._usage import Exit, Parser, UsageError

# Each command: the module that adds its arguments and runs it, and its line of help, which the
# top-level --help lists without importing the module.
COMMANDS = {
    "check": ("portproof._check", "judge one script against one example's spec"),
    "compare": ("portproof._compare",
                "run every example of the case study, both sides, everywhere; print the matrix"),
    "diff": ("portproof._diff", "does NEW.py, on every Python 3, behave like OLD.py on 2.7?"),
    "port": ("portproof._port", "port OLD.py by machine to NEW.py, then diff the two"),
    "timeline": ("portproof._timeline", "run a script once and draw what ran when (SVG or PNG)"),
}
INTERNAL_ERROR = 3
CLOSED_PIPE = 128 + signal.SIGPIPE


DESCRIPTION = """\
Does a Python 3 port of multiprocessing code behave like its Python 2 original? portproof runs
the Python 2 script on Python 2.7 and its Python 3 port on every Python 3 found (3.6 and later,
on PATH or in pyenv), under every start method each has (fork, spawn, forkserver), in a terminal
and on a pipe, and says cell by cell whether they behave the same."""
EPILOG = """\
On a terminal, compare and diff show their progress on stderr and the verdicts are in colour;
NO_COLOR=1 turns the colour off. Exit status: 0 every verdict holds, 1 some does not, 4 (diff,
port) none differs and a cell is unstable (it differs in some runs only), 2 a usage error, 3
portproof's own failure, 130 interrupted, 143 or 129 ended by SIGTERM or SIGHUP, 141 its
output's reader went away (as `| head` does)."""


def _parser(names=tuple(COMMANDS)) -> Parser:
    """The command line's parser, with the arguments of the commands `names` (each command's
    module is imported to add them; the others are listed with their line of help only)."""
    parser = Parser(prog="portproof", description=DESCRIPTION, epilog=EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="print portproof's version and exit")
    sub = parser.add_subparsers(dest="name", required=True, parser_class=Parser,
                                title="commands", metavar="COMMAND")
    for name, (module, line) in COMMANDS.items():
        command = sub.add_parser(name, help=line)
        if name in names:
            importlib.import_module(module).add_arguments(command)
    return parser


def _parse(argv: Sequence[str]):
    """The parsed command line. What follows the first `--` is the scripts' arguments (diff's
    and port's `-- ARGS`), taken here and not by argparse: its `*` positional is filled where
    OLD and NEW are, so an option between them and `--` left `-- ARGS` unrecognized. For the
    other commands what follows `--` is their positionals, as POSIX has it: a script named
    `-dash.py` is given there (as ./-dash.py, which no parser reads as an option)."""
    argv = list(argv)
    scripts: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, scripts = argv[:at], argv[at + 1:]
    # The command is the first word that is not an option (the top level has options only).
    name = next((word for word in argv if not word.startswith("-")), None)
    parser = _parser(names=(name,))
    command = _command(parser, name)
    takes_args = command is not None and any(a.dest == "args" for a in command._actions)
    if command is not None and not takes_args:
        argv += [os.path.join(os.curdir, w) if w.startswith("-") else w for w in scripts]
        scripts = []
    try:
        args, stray = parser.parse_known_args(argv)
    except UsageError as exc:
        raise UsageError(f"{exc}{_dash_hint(command, argv, str(exc), takes_args)}") from None
    hint = ""
    if hasattr(args, "args"):
        stray, args.args = [*args.args, *stray], scripts
        hint = " (the scripts' arguments go after --)"
        _note_own_options(command, args.name, scripts)
    else:  # a command that runs no script of the user's
        stray += scripts
    if stray:
        raise UsageError(f"unrecognized arguments: {' '.join(stray)}{hint}")
    args.argv = argv  # which options were given, not defaulted (diff --all overrides with them)
    return args


def _command(parser: Parser, name: str | None) -> Parser | None:
    """The parser of the command `name`, if there is one."""
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices.get(name)


def _dash_hint(command: Parser | None, argv: list[str], message: str, takes_args: bool) -> str:
    """Where a script is missing and a word that names a script starts with a dash (argparse
    read it as an option): how to give it."""
    if command is None or not message.startswith("the following arguments are required"):
        return ""
    own = command._option_string_actions
    for word in argv:
        if (word.startswith("-") and word.split("=", 1)[0] not in own
                and (word.endswith(".py") or os.path.isfile(word))):
            return (f"; {word} reads as an option: give it as {os.path.join(os.curdir, word)}"
                    + ("" if takes_args else ", or after --"))
    return ""


def _note_own_options(command: Parser, name: str, scripts: list[str]) -> None:
    """Say so when an argument after `--` is an option of the command's own: it goes to the
    scripts, as documented, but is almost always meant for portproof."""
    own = command._option_string_actions
    found = [word for word in scripts if word.split("=", 1)[0] in own]
    if found:
        print(escape(f"portproof: note: {', '.join(found)} after -- go"
                     f"{'es' * (len(found) == 1)} to the scripts, not to {name}; {name}'s "
                     "options go before --"), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        # As git does: run bare, portproof says what it is and what it can do, not one error
        # line; 2, as nothing was asked, so that a script's empty $COMMAND does not pass.
        _parser(names=()).print_help()
        return 2
    try:
        with ending_signals_stop():
            args = _parse(argv)
            return args.command(args)
    except Exit as done:  # --help, --version
        return done.status
    except UsageError as exc:
        print(escape(f"portproof: error: {exc}"), file=sys.stderr)
        return 2
    except STOPS as stop:
        return stopped(stop)
    except BrokenPipeError:
        # `portproof ... | head`: the reader has gone. Point stdout at /dev/null so the
        # interpreter's own flush at exit does not fail again, and end quietly. pytest and pip
        # return 1 here, as Python's docs do ("Note on SIGPIPE"), but our 1 says a verdict
        # failed: 141 is what a shell shows for a program its closed pipe ended (128 + SIGPIPE),
        # and 128 + N is already how portproof says a signal ended it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return CLOSED_PIPE
    except Exception as exc:  # noqa: BLE001  (portproof's own failure, not the subject's)
        import traceback  # here: only a failure needs it, and --version's start-up is short

        last = traceback.extract_tb(exc.__traceback__)[-1]
        print(escape(f"portproof: internal error: {type(exc).__name__}: {exc} "
                     f"({os.path.basename(last.filename)}:{last.lineno})"), file=sys.stderr)
        return INTERNAL_ERROR
