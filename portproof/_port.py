"""`portproof port OLD.py -o NEW.py [diff's options]`: port OLD.py by machine (_machine_port),
warn of what it left (_leftovers), then diff the two (_diff_options)."""
from __future__ import annotations

import sys

from portproof import _diff_options, _diff_report, _hunks, _leftovers, _report, _terminal
from portproof._machine_port import TARGETS, PortError, run_port
from portproof._usage import UsageError

# Differences the closing hint of `port` names: enough to find the hunk, few enough to read.
LOOK_FIRST = 3


def add_arguments(parser) -> None:
    parser.add_argument("old", metavar="OLD.py", help="the Python 2 original (never written)")
    parser.add_argument("-o", "--output", required=True, metavar="NEW.py",
                        help="where to write the port")
    parser.add_argument("--force", action="store_true", help="write over an existing NEW.py")
    parser.add_argument("--target", default="py36", choices=TARGETS,
                        help="pyupgrade's --TARGET-plus (default: %(default)s)")
    _diff_options.add_options(parser)
    parser.set_defaults(command=port)


def port(args) -> int:
    args.new = args.output
    # Every other option is checked before writing.
    _diff_options.settings_from(args, check_new=False)
    try:
        ported, diff_text = run_port(args.old, args.output, args.force, args.target)
    except PortError as exc:
        raise UsageError(str(exc)) from None
    out = _terminal.Out()
    for step in ported.steps:
        out.line(step)
    for line in (diff_text or "(the machine port changed nothing)").split("\n"):
        out.line(line)
    sys.stdout.flush()
    # Before the diff, which takes minutes: what to port by hand whatever it finds.
    left = _leftovers.could_not_port(ported.text, args.output)
    if left:
        err = _terminal.Out(file=sys.stderr)
        for line in ["could not port:", *(f"  {line}" for line in left)]:
            err.line(line)
        sys.stderr.flush()
    status, report = _diff_options.run_diff(args, {"could_not_port": left,
                                                   "source_diff": diff_text})
    if status == _diff_options.STATUS["differs"]:
        where, first, found = _diff_report.first_differences(report, LOOK_FIRST)
        out.line(f"{args.output} does not behave like {args.old}. The first lines to look at, "
                 f"under DIFF {where}:")
    elif status == _diff_options.STATUS["unstable"]:
        where, first, found = _diff_report.first_unstable(report, LOOK_FIRST)
        out.line(f"{args.output} differs from {args.old} in some runs only. The first lines to "
                 f"look at, under unstable {where}:")
    else:
        return status
    for text in first:
        out.line(f"  {text}")
    if found > len(first):
        out.line(f"and {found - len(first)} more there")
    # The hunks to read first: those that print a line that differs (_hunks' rule).
    lines = _report.differing_lines(_diff_report.as_json(report))
    printing = [h for h in _hunks.hunks(diff_text or "")
                if any(_hunks.prints(h, line) for line in lines)]
    if not printing:
        out.line("no hunk of the source diff prints a line that differs")
    else:
        said = "hunk that prints" if len(printing) == 1 else "hunks that print"
        out.line(f"the source diff's {said} a line that differs:")
        for hunk in printing:
            for line in hunk.splitlines():
                out.line(f"  {line}")
    return status
