"""py2_original/ stays as recorded: the article's blocks verbatim (plus a PEP 263 line)."""
import hashlib
import os

import pytest

from _suite import ROOT
from portproof.specs import SPECS

ORIGINAL = os.path.join(ROOT, "py2_original")
ARTICLE = os.path.join(ROOT, os.pardir, "shared", "seed", "article.md")
CODING = "# -*- coding: utf-8 -*-\n"

# Recorded when the files were added; an edit must change this table in the same commit.
SHA256 = {
    "process.py": "e979384a0d581bc3c02caf3eb446b7065d5781a5c62aca17a5651695a9625c49",
    "pool.py": "d31118822be0825d0927a2964dfa09ee690ac25c0e23e43410ac2f3e4f058e18",
    "process_subclass.py": "c6746863ecda37dbac68d570936756203736c947398da0cd0da03d66da51003a",
    "queue_shared.py": "44800d402ddb6fd43ef36915a6ac362b0fe1b2f815251bd162919fe324c0d828",
    "queue_timeout.py": "a39ea5cd858e67719f488c6521da8725f5f9b6d4ffeb33f59b2dcda0fc5c1596",
    "pipe.py": "af3130d593e4248f232f38363618694e6a914a70c2c7ca463f18841f5a9b3d1f",
    "value_array.py": "5213f0a4707f4024b40ce7b222f95a236ed1c2acfd93d5f4338d6d5ec12ee4ea",
}


@pytest.mark.parametrize("name", sorted(SHA256))
def test_file_is_as_recorded(name):
    with open(os.path.join(ORIGINAL, name), "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == SHA256[name]


def test_every_example_has_both_sides_and_nothing_else_is_there():
    scripts = {f"{example}.py" for example in SPECS}
    assert {n for n in os.listdir(ORIGINAL) if n.endswith(".py")} == scripts == set(SHA256)
    assert {n for n in os.listdir(os.path.join(ROOT, "py3_port")) if n.endswith(".py")} == scripts


def article_blocks():
    """The article's code blocks: runs of lines in its 5-space margin (or blank), from each
    `from multiprocessing` line, with the margin removed and trailing blank lines dropped."""
    with open(ARTICLE, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, block = [], None
    for line in lines:
        if line.startswith("     from multiprocessing"):
            block = []
            blocks.append(block)
        if block is not None and (line.startswith(" " * 5) or not line.strip()):
            block.append(line[5:] if line.startswith(" " * 5) else "")
        else:
            block = None
    return [_join(b) for b in blocks]


def _join(block):
    while block and not block[-1].strip():
        block = block[:-1]
    return "\n".join(block) + "\n"


@pytest.mark.skipif(not os.path.exists(ARTICLE), reason="the article is not beside the clone")
@pytest.mark.parametrize(("name", "index"), [("process.py", 0), ("pool.py", 1)])
def test_article_block_is_kept_verbatim(name, index):
    with open(os.path.join(ORIGINAL, name), encoding="utf-8") as f:
        kept = f.read()
    block = article_blocks()[index]
    assert kept == (CODING + block if any(ord(c) > 127 for c in block) else block)


@pytest.mark.parametrize("name", sorted(SHA256))
def test_non_ascii_files_declare_their_encoding(name):
    with open(os.path.join(ORIGINAL, name), encoding="utf-8") as f:
        text = f.read()
    assert text.startswith(CODING) == any(ord(c) > 127 for c in text)
