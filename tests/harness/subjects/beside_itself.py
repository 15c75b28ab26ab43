# Writes beside itself, as legacy code does (by __file__): makes out.txt and changes sibling.py
# in its own folder; imports sibling.py, reads through the links "inside" (to sibling.py) and
# "outside" (to a file in the folder above); prints what it read, the path it wrote, and
# whether it finds that file in the folder above by "..".
import os

import sibling

here = os.path.dirname(os.path.abspath(__file__))
written = os.path.join(here, "out.txt")
with open(written, "w") as f:
    f.write("beside")
with open(os.path.join(here, "sibling.py"), "a") as f:
    f.write("# changed\n")
print(sibling.NAME)
for link in ("inside", "outside"):
    with open(os.path.join(here, link)) as f:
        print(f.readline().strip())
print(written)
print(os.path.exists(os.path.join(here, os.pardir, "data.txt")))
