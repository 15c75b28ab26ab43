# Writes 230 KB of bytes that are not text: control characters, long and short lines.
import os
import random

rng = random.Random(7)
os.write(1, bytes(rng.randrange(256) for _ in range(230 * 1024)))
