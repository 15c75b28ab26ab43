"""One grouping for every report (portproof/_groups.py): each thing said once, under the places
and modes that show it, with how many runs showed it."""
from __future__ import annotations

import pytest

from portproof._groups import Said, counted, grouped


def _name(places) -> str:
    return "every cell" if len(places) == 3 else "/".join(places)


MODES = ("pty", "pipe")
# Three cells a, b, c; two runs each per mode.
MADE = {(p, m): 2 for p in "abc" for m in MODES}


def test_a_thing_shown_in_many_runs_of_many_cells_is_said_once_with_its_counts():
    shown = [("never started", p, "pipe", n) for p in "abc" for n in (1, 2)]
    (group,) = grouped(shown, _name, MODES, MADE)
    assert group.where == "every cell (pipe)"
    assert group.places == ["a", "b", "c"]
    assert [(s.key, s.runs, s.made) for s in group.said] == [("never started", 6, 6)]
    assert counted(group.said[0]) == "in 6 of 6 runs of 3 cells"


# Things shown in the same places are said under one heading; a mode is named only where not
# every mode shows it.
@pytest.mark.parametrize(("shown", "said"), [
    pytest.param([("x", "a", "pty", 1), ("y", "a", "pty", 1), ("x", "a", "pipe", 1),
                  ("y", "a", "pipe", 2)],
                 {"a": [("x", 2, 4), ("y", 2, 4)]}, id="same-place-every-mode"),
    pytest.param([("x", "a", "pty", 1), ("y", "b", "pty", 1), ("x", "b", "pipe", 1)],
                 {"a (pty); b (pipe)": [("x", 2, 4)], "b (pty)": [("y", 1, 2)]},
                 id="modes-named"),
])
def test_things_shown_in_the_same_places_are_said_together(shown, said):
    assert {g.where: [(s.key, s.runs, s.made) for s in g.said]
            for g in grouped(shown, _name, MODES, MADE)} == said


@pytest.mark.parametrize(("runs", "made", "places", "text"), [
    pytest.param(1, 1, ["a"], "", id="one-run-says-nothing"),
    pytest.param(2, 3, ["a"], "in 2 of 3 runs", id="some-runs"),
    pytest.param(2, 0, ["a", "b"], "in 2 cells", id="no-run-made"),
])
def test_the_counts_say_runs_and_cells(runs, made, places, text):
    assert counted(Said("x", places, runs, made)) == text
