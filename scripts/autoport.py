"""The machine port: py2_original/ through the 2to3 fixers (fissix) and pyupgrade --py36-plus.

    python scripts/autoport.py OUT

Writes OUT/py2_original/ (a copy) and OUT/py3_port/ (the machine port), so that
`python -m portproof compare --root OUT` judges the machine port exactly as it judges ours.
Each file goes through portproof._port.machine_port (pyupgrade runs until a pass changes
nothing; its %-to-f-string rewrite takes two passes). Prints what each tool changed, summed over
the files.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from portproof import _machine_port  # noqa: E402


def machine_port(out: str) -> list[str]:
    """Build OUT and return what was done, one line per step."""
    original, port = os.path.join(out, "py2_original"), os.path.join(out, "py3_port")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "py2_original"), original)
    shutil.copytree(original, port, ignore=shutil.ignore_patterns("*.md"))
    names = sorted(os.listdir(port))
    fixed, passes = 0, []  # passes[n]: files the pass n+1 changed
    for name in names:
        path = os.path.join(port, name)
        source, encoding = _machine_port.read_source(path)
        ported = _machine_port.machine_port(source, "py36")
        fixed += ported.fixed != source
        passes += [0] * (len(ported.passes) - len(passes))
        for n, changed in enumerate(ported.passes):
            passes[n] += changed
        if ported.text != source:
            with open(path, "w", encoding=encoding, newline="") as f:
                f.write(ported.text)
    return [f"fissix (2to3 fixers): rewrote {fixed} of {len(names)} files"] + [
        f"pyupgrade --py36-plus pass {n}: rewrote {count} files"
        for n, count in enumerate(passes, 1)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="build folder (emptied first)")
    args = parser.parse_args(argv)
    try:
        report = machine_port(os.path.abspath(args.out))
    except _machine_port.PortError as exc:
        raise SystemExit(f"autoport: {exc}") from None
    for line in report:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
