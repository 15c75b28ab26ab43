"""Peak memory of the harness while a subject floods it (100 MiB of lines, or one 100 MiB
line), in both modes. Prints one line per case:

    lines pipe: 104857600 bytes in 1.23 s, kept 1048576, harness peak RSS +1.2 MiB
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import time

from portproof import _run, _trace
from portproof._interpreters import probe

SUBJECTS = {
    "lines": "import sys\nfor _ in range(100 * 1024):\n    sys.stdout.write('x' * 1023 + '\\n')\n",
    "one line": "import sys\nfor _ in range(100 * 1024):\n    sys.stdout.write('y' * 1024)\n",
}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    python = probe(sys.executable)
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in SUBJECTS.items():
            path = os.path.join(tmp, "flood.py")
            with open(path, "w") as f:
                f.write(source)
            for mode in _trace.MODES:
                before = peak_rss_mib()
                start = time.monotonic()
                trace = _run.run_script(python, path, "fork", mode)
                wall = time.monotonic() - start
                kept = sum(len(line.text) for line in trace.lines)
                print(f"{name} {mode}: {100 * 1024 * 1024} bytes in {wall:.2f} s, kept {kept}, "
                      f"exit {trace.returncode}, harness peak RSS +{peak_rss_mib() - before:.1f} "
                      f"MiB (peak {peak_rss_mib():.1f} MiB)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
