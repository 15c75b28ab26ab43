# Prints what a report must show as text, never run or load: markup, an entity, bytes that are
# not UTF-8, control characters; on stdout and stderr.
import os
import sys

os.write(1, b"<script>alert(1)</script>\n")
os.write(1, b"&amp; <img src=\"http://127.0.0.1:9/leak.png\" onerror=\"alert(2)\">\n")
os.write(1, b"caf\xe9 \xff\xfe \xed\xa0\x80 \x1b[31mred\x1b[0m \x00nul\n")
os.write(2, b"<script>alert(3)</script> \xc3\x28\n")
sys.exit(0)
