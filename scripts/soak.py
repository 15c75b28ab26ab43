"""Run the whole test suite N times in a row and report failures and flaky tests.

    python scripts/soak.py [--runs 20] [--load] [--keep DIR] [-- PYTEST_ARGS...]

--load keeps every core busy with a CPU hog for the whole soak; --keep DIR writes each failure's
whole text there. Prints each run's summary and failed tests, and last:
    runs=N failures=F flaky_tests=[...]
where F counts the runs that failed and flaky_tests the tests that failed in some run.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load", action="store_true", help="a CPU hog on every core")
    parser.add_argument("--keep", metavar="DIR",
                        help="write each failure's whole text there (run<N>-<test>.txt)")
    parser.add_argument("pytest_args", nargs="*", default=["-n", "4"])
    args = parser.parse_args(argv)
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 1)
    ] if args.load else []
    failures, flaky = 0, Counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(1, args.runs + 1):
                xml = os.path.join(tmp, f"run{n}.xml")
                result = subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                     f"--junitxml={xml}", *args.pytest_args],
                    cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                )
                failed = failed_tests(xml) if os.path.exists(xml) else {"<no report>": ""}
                failures += result.returncode != 0
                flaky.update(list(failed))
                lines = result.stdout.strip().splitlines() or ["<no output>"]
                print(f"run {n}/{args.runs}: exit {result.returncode}: {lines[-1]}")
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
