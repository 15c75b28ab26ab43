"""Run the whole test suite N times in a row and report failures and flaky tests.

    python scripts/soak.py [--runs 20] [--load] [--keep DIR] [-- PYTEST_ARGS...]
    python scripts/soak.py --diff [--runs 10] [--load] [--keep DIR] [-- DIFF_ARGS...]

--load keeps every core busy with a CPU hog for the whole soak; --keep DIR writes each failure's
whole text there. Prints each run's summary and failed tests, and last:
    runs=N failures=F flaky_tests=[...]
where F counts the runs that failed and flaky_tests the tests that failed in some run.

--diff soaks `portproof diff` instead, with its default settings (real time, every Python 3 x
start method, both modes): each run diffs every example of py2_original/ against its port in
py3_port/, and a "test" is one pair, failed when diff does not call it the same (exit 0).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def failed_tests(junit_xml: str) -> dict[str, str]:
    """Each failed test of the report, with its failure's text."""
    failed = {}
    for case in ET.parse(junit_xml).iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        if failure is not None:
            failed[f"{case.get('classname')}::{case.get('name')}"] = failure.text or ""
    return failed


def pytest_run(n: int, tmp: str, pytest_args: list[str]) -> tuple[int, str, dict[str, str]]:
    """One run of the suite: (exit status, its last line, the failed tests with their text)."""
    xml = os.path.join(tmp, f"run{n}.xml")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}",
         *pytest_args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    failed = failed_tests(xml) if os.path.exists(xml) else {"<no report>": ""}
    lines = result.stdout.strip().splitlines() or ["<no output>"]
    return result.returncode, lines[-1], failed


def diff_run(diff_args: list[str]) -> tuple[int, str, dict[str, str]]:
    """One diff of each example and its port, as pytest_run says a run of the suite."""
    failed, start = {}, time.monotonic()
    examples = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "py2_original"))
                      if name.endswith(".py"))
    for example in examples:
        result = subprocess.run(
            [sys.executable, "-m", "portproof", "diff", f"py2_original/{example}.py",
             f"py3_port/{example}.py", *diff_args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        if result.returncode != 0:
            failed[example] = f"exit {result.returncode}\n{result.stdout}"
    summary = (f"{len(examples) - len(failed)} of {len(examples)} pairs same in "
               f"{time.monotonic() - start:.0f} s")
    return (1 if failed else 0), summary, failed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load", action="store_true", help="a CPU hog on every core")
    parser.add_argument("--diff", action="store_true",
                        help="soak portproof diff on the seven pairs instead of the suite")
    parser.add_argument("--keep", metavar="DIR",
                        help="write each failure's whole text there (run<N>-<test>.txt)")
    parser.add_argument("extra_args", nargs="*", metavar="ARGS",
                        help="pytest's (default: -n 4), or diff's with --diff")
    args = parser.parse_args(argv)
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 1)
    ] if args.load else []
    failures, flaky = 0, Counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(1, args.runs + 1):
                if args.diff:
                    status, last, failed = diff_run(args.extra_args)
                else:
                    status, last, failed = pytest_run(n, tmp, args.extra_args or ["-n", "4"])
                failures += status != 0
                flaky.update(list(failed))
                print(f"run {n}/{args.runs}: exit {status}: {last}")
                for test, text in failed.items():
                    print(f"    FAILED {test}")
                    if args.keep:  # the whole text: a flaky failure may not come back
                        os.makedirs(args.keep, exist_ok=True)
                        name = re.sub(r"[^\w.-]+", "_", test)[-120:]
                        with open(os.path.join(args.keep, f"run{n}-{name}.txt"), "w") as f:
                            f.write(text)
                sys.stdout.flush()
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    print(f"runs={args.runs} failures={failures} flaky_tests={sorted(flaky)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
