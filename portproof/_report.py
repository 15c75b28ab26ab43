"""The reports that `check`, `compare` and `diff` write for CI to keep (`--json FILE`,
`--html FILE`): a documented JSON structure (README, "Reports"), and one self-contained HTML page
made from that structure alone (inline CSS, no script, no request: its Content-Security-Policy
forbids both).

A subject may print anything. Its output reaches us decoded with backslashreplace, but a path
or argument decoded by the OS may hold lone surrogates, which no UTF-8 file can: every string is
cleaned before it is written (`clean`), JSON escapes every other character outside ASCII, and
the page shows what a terminal or a browser would obey (controls, bidi overrides) as escapes
(_escape) and passes every text through `html.escape`.
"""
from __future__ import annotations

import ast
import html
import json
import os
import re
import tempfile
import warnings
from collections.abc import Callable

from portproof import __version__, _hunks, _plot, _terminal
from portproof._escape import escape
from portproof._interpreters import Interpreter
from portproof._matrix import Skip, Verdict
from portproof._groups import Said, counted, grouped
from portproof._table import SHORT, cells_text
from portproof._trace import timing
from portproof._usage import UsageError

# Bumped when a field changes meaning or goes; new fields may come without a bump.
JSON_VERSION = 1
# What the page adds under each failing cell, in order: each takes the cell as the JSON has it
# and returns HTML (every text in it escaped), or "" to add nothing.
CELL_SECTIONS: tuple[Callable[[dict], str], ...] = (
    _plot.page_section,  # a failing pool cell's timelines
)


# -- JSON ------------------------------------------------------------------------------------


def as_json(command: str, verdicts: list[Verdict], interpreters: list[Interpreter],
            skipped: list[Skip], *, runs: int, time_scale: float, containment: str) -> dict:
    """The report of `check` or `compare` as a documented structure (README, "Reports")."""
    # JSON is data, not display: its strings are the true ones, controls and bidi characters
    # included (JSON escapes them), for a program to read; only the pages escape them.
    return clean({
        "version": JSON_VERSION,
        "portproof": __version__,
        "command": command,
        "timing": timing(time_scale),
        "containment": containment,
        "runs": runs,
        "interpreters": [{"python": i.minor, "version": ".".join(map(str, i.version)),
                          "path": i.path, "start_methods": list(i.start_methods)}
                         for i in interpreters],
        "cells": [_cell(v, command) for v in verdicts],
        # the reasons as the text says them: each once, under the cells that show it
        "groups": _groups_of(verdicts, command),
        "skipped": [{"reason": s.reason,
                     "columns": [{"side": side, "python": minor, "start_method": method}
                                 for side, minor, method in s.columns]}
                    for s in skipped],
        "holds": bool(verdicts) and all(v.holds for v in verdicts),
    })


def _id(verdict: Verdict) -> str:
    c = verdict.cell
    mode = None if len(verdict.modes) > 1 else verdict.modes[0]
    return "-".join(p for p in (c.side, c.python.minor, c.start_method, mode) if p)


def _groups_of(verdicts: list[Verdict], command: str) -> list[dict]:
    """The reasons of the failing cells (_groups), each once under the cells and modes that
    show it: check's cells by interpreter and start method, compare's by example and side too;
    a script not run (its interpreter cannot read it) counts in no run."""
    def parts(v: Verdict) -> tuple[str, ...]:
        c = v.cell
        head = (c.python.minor, c.start_method)
        return head if command == "check" else (c.example, c.side, *head)

    def place(v: Verdict) -> tuple[str, str]:  # a cell's id is unique within its example
        return v.cell.example, _id(v)

    named = {place(v): parts(v) for v in verdicts}
    total = len(set(named.values()))
    shown = [(p, place(v), r.mode, r.n) for v in verdicts for r in v.made for p in r.problems]
    shown += [(p, place(v), mode, None) for v in verdicts if not v.made
              for p in v.problems for mode in v.modes]
    made = {(place(v), mode): sum(r.mode == mode for r in v.made)
            for v in verdicts for mode in v.modes}
    modes = tuple(dict.fromkeys(m for v in verdicts for m in v.modes))
    return [{"where": g.where,
             "cells": [{"example": example, "id": id_} for example, id_ in g.places],
             "problems": [{"text": s.key, "runs": s.runs, "of": s.made, "cells": len(s.places)}
                          for s in g.said]}
            for g in grouped(shown, lambda ids: cells_text([named[i] for i in ids], total),
                             modes, made)]


def _cell(verdict: Verdict, command: str) -> dict:
    c = verdict.cell
    mode = verdict.modes[0] if len(verdict.modes) == 1 else "both"
    side = c.side or None  # check judges a script of its own, of no side
    return {
        "id": _id(verdict),
        "example": c.example, "side": side, "script": verdict.script,
        "python": c.python.minor, "path": c.python.path, "start_method": c.start_method,
        "mode": mode,
        "verdict": "holds" if verdict.holds else "fails",
        "problems": list(verdict.problems),
        "runs": [
            {"mode": r.mode, "n": r.n, "exit": r.trace.returncode, "signal": r.trace.signal,
             "timed_out": r.trace.timeout is not None, "wall": round(r.trace.wall, 4),
             "problems": list(r.problems),
             "lines": [{"t": round(line.t, 4),
                        "earliest": None if line.earliest is None else round(line.earliest, 4),
                        "text": line.text} for line in r.trace.lines],
             "stderr": r.trace.stderr.splitlines(),
             "pid": r.trace.pid,
             # what was still running once the main process had exited; portproof sent it SIGKILL
             "leaked": [{"pid": pid, "command": command}
                        for pid, command in r.trace.leaked.items()],
             # what it left in /dev/shm; portproof removed it
             "shm_removed": list(r.trace.shm_removed),
             "processes": [{"pid": p.pid, "ppid": p.ppid, "name": p.name,
                            "start_method": p.start_method, "start": round(p.start, 4),
                            "end": None if p.end is None else round(p.end, 4),
                            "argv": list(p.argv)}
                           for p in r.trace.processes]}
            for r in verdict.made
        ],
    }


def clean(value):
    """`value` with every string made writable as UTF-8: a lone surrogate (what the OS's
    surrogateescape makes of a byte that is not UTF-8) becomes its byte's escape, `\\xff`."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "surrogateescape" if _escaped_bytes_only(value)
                               else "backslashreplace")
            return raw.decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def _escaped_bytes_only(text: str) -> bool:
    return all(not 0xD800 <= ord(ch) <= 0xDFFF or 0xDC80 <= ord(ch) <= 0xDCFF for ch in text)


# -- text ------------------------------------------------------------------------------------


def print_groups(report: dict) -> None:
    """Why cells fail, as the report's groups say: "FAIL <where>:", then each reason once with
    how many runs and cells showed it."""
    out = _terminal.Out()
    for group in report["groups"]:
        out.line(_terminal.word("FAIL"), f" {group['where']}:")
        for problem in group["problems"]:
            out.line(f"  {reason(problem)}")


def reason(problem: dict) -> str:
    """A reason of a group with its counts: 'task 0 never started (in 6 of 6 runs of 3
    cells)'."""
    count = counted(Said(problem["text"], [None] * problem["cells"], problem["runs"],
                         problem["of"]))
    return problem["text"] + (f" ({count})" if count else "")


# -- writing ---------------------------------------------------------------------------------


def check_paths(args) -> None:
    """A usage error now, before any run, for a --json or --html FILE that cannot be written."""
    for option in ("json", "html"):
        path = getattr(args, option, None)
        if path is not None:
            if os.path.isdir(path):
                raise UsageError(f"--{option} {path}: is a directory; give a file's path")
            _write(path, "", option)  # made and removed: the folder takes files
            # (an existing FILE is left as it was until the report replaces it)


def write(args, report: dict, page: Callable[[dict], str]) -> None:
    """The report to --json, its page (`page(report)`) to --html, as asked for in `args`."""
    if getattr(args, "json", None):
        _write(args.json, json.dumps(report, indent=2, ensure_ascii=True) + "\n", "json")
    if getattr(args, "html", None):
        _write(args.html, page(report), "html")


def _write(path: str, text: str, option: str) -> None:
    """`text` to `path` whole or not at all: written beside it, then renamed over it. An empty
    `text` only tries that the folder takes a file. Failing, a usage error (exit 2)."""
    folder = os.path.dirname(os.path.abspath(path))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.",
                                   suffix=".tmp")
        with open(fd, "w", encoding="utf-8") as f:
            f.write(text)
        if text:
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
            tmp = None
    except OSError as exc:
        raise UsageError(f"--{option} {path}: cannot write: {exc.strerror}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.remove(tmp)


# -- HTML ------------------------------------------------------------------------------------

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.5em; } h3 { font-size: 1em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
div.wide { overflow-x: auto; } table.matrix { border-collapse: collapse; }
table.matrix th, table.matrix td { border: 1px solid #ccc; padding: 2px 6px; text-align: center; }
table.matrix tbody th { text-align: left; }
td.holds, td.same { background: #d7f2d7; }
td.fails, td.differs { background: #f6c9c9; font-weight: bold; }
td.missing { background: #eee; color: #666; }
td.unstable { background: #fbe5b6; font-style: italic; }
td a { color: inherit; }
section.failure { border-left: 4px solid #c33; padding-left: 0.8em; margin: 1em 0; }
section.unstable { border-left: 4px dashed #b80; padding-left: 0.8em; margin: 1em 0; }
section.runs { border-left: 4px solid #ccc; padding-left: 0.8em; margin: 1em 0; }
div.difference { margin: 0.6em 0; } div.difference p { margin: 0.2em 0; }
table.sides { border-collapse: collapse; margin: 0.3em 0; }
table.sides th, table.sides td { border: 1px solid #ccc; padding: 2px 6px; text-align: left;
  vertical-align: top; white-space: pre-wrap; font-family: monospace; }
table.sides td.old { background: #fbe0e0; } table.sides td.new { background: #dff3df; }
div.hunk { margin: 0.6em 0; } div.hunk.prints { border-left: 4px solid #c33; padding-left: 0.8em; }
pre.source, pre.hunk { margin: 0; } span.del { background: #fbe0e0; }
span.ins { background: #dff3df; } span.at { color: #06c; }
pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; white-space: pre-wrap; }
.muted { color: #666; }
"""
# No script, no request: what a file opened from a CI artefact should be allowed.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
VERDICT_WORDS = {"holds": "ok", "fails": "FAIL", "same": "same", "differs": "DIFF",
                 "unstable": "unstable"}
ABBREVIATED = {"forkserver": "fsrv"}


def _e(text) -> str:
    """Any text of the report as HTML: what a terminal or a browser would obey as escapes
    (_escape; the lines of a block keep their newlines), then html.escape."""
    return html.escape(escape(str(text), newlines=True), quote=True)


def anchor(cell: dict, row: str) -> str:
    return "cell-" + re.sub(r"[^\w.-]", "_", f"{row}-{cell['id']}")


def page(report: dict,
         sections: tuple[Callable[[dict], str], ...] = CELL_SECTIONS) -> str:
    """The page of a `check` or `compare` report: the matrix, each failing cell's reasons and
    lines and `sections`, what was skipped, the interpreters."""
    cells = report["cells"]
    failing = [c for c in cells if c["verdict"] == "fails"]
    summary = (f"{len(cells) - len(failing)} of {len(cells)} cells hold"
               + (f", {len(failing)} do not" if failing else ""))
    facts = [("portproof", report["portproof"]), ("timing", report["timing"]),
             ("containment", report["containment"]),
             ("runs", f"{report['runs']} per cell and mode")]
    if report["command"] == "check" and cells:
        facts.insert(0, ("script", cells[0]["script"]))
    groups = [{**g, "id": f"fail-{n}"} for n, g in enumerate(report["groups"], 1)]
    # A FAIL in the matrix leads to the first group that names its cell.
    leads = {(c["example"], c["id"]): next(
        (g["id"] for g in groups
         if {"example": c["example"], "id": c["id"]} in g["cells"]), None) for c in failing}
    body = [_facts(facts), f'<p class="summary">{_e(summary)}</p>',
            _matrix(cells, lambda c: c["example"], leads)]
    if groups:
        body.append("<h2>Why cells fail</h2>")
        body += [_reasons(g) for g in groups]
    if failing:
        body.append("<h2>The failing cells' runs</h2>")
        body += [_failure(c, f"{c['example']} [{c['id']}]", anchor(c, c["example"]), [],
                          _runs(c), sections, kind="runs") for c in failing]
    if report["skipped"]:
        body.append('<h2>Skipped</h2>\n<ul class="skipped">')
        for s in report["skipped"]:
            columns = ", ".join(f"{c['side'] or ''} {c['python']} {c['start_method']}".strip()
                                for c in s["columns"])
            body.append(f'<li><span class="reason">{_e(s["reason"])}</span>'
                        f' <span class="muted">({_e(columns)})</span></li>')
        body.append("</ul>")
    body.append("<h2>Interpreters</h2>\n<ul class=\"interpreters\">")
    body += [f"<li>Python {_e(i['version'])} <code>{_e(i['path'])}</code>: "
             f"{_e(', '.join(i['start_methods']))}</li>" for i in report["interpreters"]]
    body.append("</ul>")
    return _document(f"portproof {report['command']}", body)


def diff_page(report: dict) -> str:
    """The page of a `diff` report (_diff_report.as_json), or of `port`'s: the verdict row;
    each difference once, under the cells that show it (the report's groups, as the text
    report says them), a changed line's OLD and NEW side by side; each hang; each unstable cell
    (set apart from both: its own colour, word and section); port's source diff, each hunk
    that prints a differing line marked (_hunks)."""
    def cell_id(c: dict) -> str:
        return f"{c['python']}-{c['start_method']}"
    cells = [{**c, "id": cell_id(c), "side": "NEW", "mode": "both"} for c in report["cells"]]
    differ = [c for c in cells if c["verdict"] == "differs"]
    unstable = [c for c in cells if c["verdict"] == "unstable"]
    groups = [{**g, "id": f"diff-{n}", "cells": [cell_id(c) for c in g["cells"]]}
              for n, g in enumerate(report["groups"], 1)]
    # A DIFF in the matrix leads to the first place that names its cell.
    leads = {("verdict", c["id"]): next((g["id"] for g in groups if c["id"] in g["cells"]),
                                        None) for c in differ}
    leads.update({("verdict", c["id"]): anchor(c, "verdict") for c in unstable})
    summary = (f"{len(cells) - len(differ) - len(unstable)} of {len(cells)} cells same"
               + (f", {len(differ)} differ" if differ else "")
               + (f", {len(unstable)} unstable" if unstable else ""))
    old = report["old"]
    facts = [("OLD", f"{old['script']} on Python {old['python']} ({old['path']})"),
             ("NEW", report["new"]["script"]), ("portproof", report["portproof"]),
             ("timing", report["timing"]), ("containment", report["containment"])]
    body = [_facts(facts), f'<p class="summary">{_e(summary)}</p>',
            _matrix(cells, lambda c: "verdict", leads)]
    noise = [f"{mode}: {sentence}" for mode, found in report["noise"].items()
             for sentence in found]
    hung = [c for c in cells if c.get("timed_out")]
    if groups or hung:
        body.append("<h2>Differences</h2>")
        body += [_group(g) for g in groups]
        body += [_hang(c) for c in hung]
    if unstable:
        body.append("<h2>Unstable cells</h2>\n<p>Shown in some runs only.</p>")
        body += [_failure(c, f"NEW [{c['id']}]", anchor(c, "verdict"),
                          [f"{u['mode']}: in {u['shown']} of {u['runs']} runs: {u['text']} ("
                           + ("OLD's runs vary in it too" if u["old_varies"]
                              else "no run of OLD's did it") + ")"
                           for u in c["unstable"]],
                          [(_lines(u["lines"]), f"{u['mode']}: {u['kind']}")
                           for u in c["unstable"] if u["lines"]], kind="unstable")
                 for c in unstable]
    if report.get("source_diff"):
        body.append(_source_diff(report["source_diff"], differing_lines(report)))
    if noise:
        body.append("<h2>Noise learned from OLD's runs (not compared)</h2>\n<ul>")
        body += [f"<li>{_e(n)}</li>" for n in noise]
        body.append("</ul>")
    return _document("portproof port" if "source_diff" in report else "portproof diff", body)


def _group(group: dict) -> str:
    """One group of differences: where (as the text report says it), then each difference with
    its lines."""
    out = [f'<section class="failure" id="{_e(group["id"])}" '
           f'data-cells="{_e(" ".join(group["cells"]))}">',
           f"<h3>{_e('DIFF ' + group['where'])}</h3>"]
    for d in group["differences"]:
        out.append(f'<div class="difference"><p class="problem">{_e(d["text"])}</p>'
                   + (_lines(d["lines"]) if d["lines"] else "") + "</div>")
    out.append("</section>")
    return "\n".join(out)


def _reasons(group: dict) -> str:
    """One group of check's or compare's reasons: where (as the text says it), then each
    reason once, with its counts."""
    return "\n".join([
        f'<section class="failure" id="{_e(group["id"])}" '
        f'data-cells="{_e(" ".join(c["id"] for c in group["cells"]))}">',
        f"<h3>{_e('FAIL ' + group['where'])}</h3>", '<ul class="problems">',
        *(f'<li class="problem">{_e(reason(p))}</li>' for p in group["problems"]),
        "</ul>", "</section>"])


def _hang(cell: dict) -> str:
    """A cell that hung, as the text report says it: when, after how long, each stack."""
    hung = cell["timed_out"]
    where = f"{cell['python']} {SHORT.get(cell['start_method'], cell['start_method'])}"
    return _failure(cell, f"hung {where} ({hung['mode']})", f"hung-{cell['id']}",
                    [f"timed out after {hung['after']:g} s; not run again"],
                    [(_pre(hung["stacks"]), "the stacks when it was stopped")] if hung["stacks"]
                    else [])


def _lines(lines: list[str]) -> str:
    """A difference's lines: OLD's (`- `) and NEW's (`+ `) side by side where it has both and
    no other, else as they come."""
    old = [line[2:] for line in lines if line.startswith("- ")]
    new = [line[2:] for line in lines if line.startswith("+ ")]
    if not old or not new or len(old) + len(new) != len(lines):
        return _pre(lines)
    rows = ["<tr><th>OLD</th><th>NEW</th></tr>"]
    for n in range(max(len(old), len(new))):
        rows.append(f'<tr><td class="old">{_e(old[n]) if n < len(old) else ""}</td>'
                    f'<td class="new">{_e(new[n]) if n < len(new) else ""}</td></tr>')
    return f'<table class="sides">{"".join(rows)}</table>'


def _pre(lines: list[str]) -> str:
    return f'<pre class="lines">{_e(chr(10).join(lines))}</pre>'


# A line a difference names: quoted in its text as Python's repr quotes a string.
_QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")


def differing_lines(report: dict) -> list[str]:
    """The lines the report's differences name, each once: their `- `/`+ ` lines, else the
    lines quoted in their text."""
    found = [*(d for g in report["groups"] for d in g["differences"]),
             *(u for c in report["cells"] for u in c.get("unstable", []))]
    lines: dict[str, None] = {}
    for d in found:
        marked = [line[2:] for line in d["lines"] if line[:2] in ("- ", "+ ")]
        for line in marked or [_string(q) for q in _QUOTED.findall(d["text"])]:
            if line is not None:
                lines[line] = None
    return list(lines)


def _string(quoted: str) -> str | None:
    """The string `quoted` is as Python's repr writes it; None where it is not one (a quote
    in a file's name)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unknown escape ('\q') is a SyntaxWarning
        try:
            value = ast.literal_eval(quoted)
        except (ValueError, SyntaxError):
            return None
    return value if isinstance(value, str) else None


def _source_diff(diff: str, lines: list[str]) -> str:
    """port's source diff, OLD -> NEW, each hunk that prints one of `lines` marked, with
    those it prints."""
    head = diff[:diff.index("@@")] if "@@" in diff else diff
    out = ["<h2>Source diff</h2>",
           "<p>The machine port, OLD -> NEW; a hunk with a bar prints a line that differs "
           "(a string literal or <code>print</code> in it matches the line).</p>",
           f'<pre class="source">{_e(head)}</pre>']
    for n, hunk in enumerate(_hunks.hunks(diff), 1):
        printed = [line for line in lines if _hunks.prints(hunk, line)]
        out.append(f'<div class="hunk{" prints" if printed else ""}" id="hunk-{n}">'
                   f'<pre class="hunk">{_hunk_lines(hunk)}</pre>')
        if printed:
            out.append('<p class="muted">prints what differs:</p><ul class="printed">'
                       + "".join(f'<li class="printed">{_e(line)}</li>' for line in printed)
                       + "</ul>")
        out.append("</div>")
    return "\n".join(out)


def _hunk_lines(hunk: str) -> str:
    kinds = {"-": "del", "+": "ins", "@": "at"}
    return "".join(f'<span class="{kinds[line[0]]}">{_e(line)}</span>' if line[:1] in kinds
                   else _e(line) for line in hunk.splitlines(keepends=True))


def _document(title: str, body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{_e(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
        f"<h1>{_e(title)}</h1>", *body, "</body>", "</html>", "",
    ])


def _facts(facts: list[tuple[str, str]]) -> str:
    return ('<dl class="facts">'
            + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts) + "</dl>")


def _matrix(cells: list[dict], row_of: Callable[[dict], str],
            leads: dict[tuple[str, str], str | None] | None = None) -> str:
    """Rows by `row_of`, a column per side / interpreter / start method (/ mode), in the order
    the cells come; three header rows (four with modes) as compare prints them. A cell that
    does not hold leads to its section, or to `leads[(its row, its id)]` (none where that is
    None)."""
    key = ("side", "python", "start_method", "mode")
    columns: list[tuple] = []
    by_place: dict[tuple, dict] = {}
    for c in cells:
        column = tuple(c[k] if k != "side" else c[k] or _name(c.get("script", "")) for k in key)
        if column not in columns:
            columns.append(column)
        by_place[(row_of(c), column)] = c
    rows = list(dict.fromkeys(row_of(c) for c in cells))
    levels = 4 if any(column[3] != "both" for column in columns) else 3
    out = ['<div class="wide"><table class="matrix">', "<thead>"]
    for level in range(levels):
        out.append('<tr><th scope="col"></th>')
        i = 0
        while i < len(columns):  # a header spans the columns that share it and those above
            span = 1
            while (i + span < len(columns)
                   and columns[i + span][:level + 1] == columns[i][:level + 1]):
                span += 1
            name = _e(columns[i][level])
            if level == 2 and name in ABBREVIATED:  # as compare prints it, to keep it narrow
                name = f'<abbr title="{name}">{ABBREVIATED[name]}</abbr>'
            out.append(f'<th scope="col" colspan="{span}">{name}</th>')
            i += span
        out.append("</tr>")
    out += ["</thead>", "<tbody>"]
    for row in rows:
        out.append(f'<tr><th scope="row">{_e(row)}</th>')
        for column in columns:
            c = by_place.get((row, column))
            if c is None:
                out.append('<td class="missing">-</td>')
                continue
            text = _e(VERDICT_WORDS[c["verdict"]])
            lead = anchor(c, row) if leads is None else leads.get((row, c["id"]))
            if c["verdict"] in ("fails", "differs", "unstable") and lead:
                text = f'<a href="#{_e(lead)}">{text}</a>'
            out.append(f'<td class="{_e(c["verdict"])}" data-row="{_e(row)}" '
                       f'data-cell="{_e(c["id"])}">{text}</td>')
        out.append("</tr>")
    out += ["</tbody>", "</table></div>"]
    return "\n".join(out)


def _name(path: str) -> str:
    return os.path.basename(path) or path


def _runs(cell: dict) -> list[tuple[str, str]]:
    """The lines of each run of `cell` that broke the spec, with arrival times: (HTML,
    title)."""
    shown = []
    for r in cell["runs"]:
        if not r["problems"]:
            continue
        how = ("timed out" if r["timed_out"] else f"killed by {r['signal']}" if r["signal"]
               else f"exit {r['exit']}")
        lines = [f"{line['t']:8.3f}  {line['text']}" for line in r["lines"]]
        title = f"{r['mode']} run {r['n']}: {how}, {len(r['lines'])} lines on stdout"
        shown.append((_pre(lines), title))
        if r["stderr"]:
            shown.append((_pre(r["stderr"]), f"{r['mode']} run {r['n']}: stderr"))
    return shown


def _failure(cell: dict, title: str, anchor_id: str, reasons: list[str],
             blocks: list[tuple[str, str]], sections=(), kind: str = "failure") -> str:
    """A cell's section: its reasons, then each block (its HTML, its title), then
    `sections`."""
    out = [f'<section class="{kind}" id="{_e(anchor_id)}" data-cell="{_e(cell["id"])}">',
           f"<h3>{_e(title)}</h3>"]
    if cell.get("script"):
        out.append(f'<p class="muted"><code>{_e(cell["script"])}</code> on Python '
                   f'{_e(cell["python"])} <code>{_e(cell["path"])}</code></p>')
    if reasons:
        out.append('<ul class="problems">')
        out += [f'<li class="problem">{_e(reason)}</li>' for reason in reasons]
        out.append("</ul>")
    for block, block_title in blocks:
        out.append(f'<details open><summary>{_e(block_title)}</summary>{block}</details>')
    out += [section(cell) for section in sections]
    out.append("</section>")
    return "\n".join(out)
