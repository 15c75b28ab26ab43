"""The machine port: py2_original/ through the 2to3 fixers (fissix) and pyupgrade --py36-plus.

    python scripts/autoport.py OUT

Writes OUT/py2_original/ (a copy) and OUT/py3_port/ (the machine port), so that
`python -m portcheck compare --root OUT` judges the machine port exactly as it judges ours.
pyupgrade runs until a pass changes nothing (its %-to-f-string rewrite takes two passes).
Prints what each tool changed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Here pyupgrade settles after two rewriting passes (a third confirms); more means it oscillates.
MAX_PASSES = 5


def machine_port(out: str) -> list[str]:
    """Build OUT and return what was done, one line per step."""
    original, port = os.path.join(out, "py2_original"), os.path.join(out, "py3_port")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "py2_original"), original)
    shutil.copytree(original, port, ignore=shutil.ignore_patterns("*.md"))
    files = sorted(os.path.join(port, name) for name in os.listdir(port))
    report = []
    fixers = subprocess.run(
        [sys.executable, "-m", "fissix", "--write", "--nobackups", "--no-diffs", *files],
        capture_output=True, text=True, check=True,
    )
    changed = [line.split()[-1] for line in fixers.stderr.splitlines()
               if line.startswith("RefactoringTool: Refactored ")]
    report.append(f"fissix (2to3 fixers): rewrote {len(changed)} of {len(files)} files")
    for n in range(1, MAX_PASSES + 1):
        upgrade = subprocess.run([sys.executable, "-m", "pyupgrade", "--py36-plus", *files],
                                 capture_output=True, text=True)
        rewritten = [line.split()[-1] for line in upgrade.stderr.splitlines()
                     if line.startswith("Rewriting ")]
        report.append(f"pyupgrade --py36-plus pass {n}: rewrote {len(rewritten)} files")
        if upgrade.returncode == 0:
            return report
    raise SystemExit(f"pyupgrade did not settle in {MAX_PASSES} passes")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="build folder (emptied first)")
    args = parser.parse_args(argv)
    for line in machine_port(os.path.abspath(args.out)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
