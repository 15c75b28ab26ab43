"""What a report says, grouped: each thing (check's and compare's reasons, diff's differences)
said once, under the places (cells) and modes that show it, with how many runs showed it.

Invariants: things shown in the same places and modes are said together, under one heading,
in the order first shown; a heading names the modes only where not every mode shows it.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass
class Said:
    """One thing, where it showed (in order), in how many runs, of how many made there (in
    the modes it showed in)."""

    key: Hashable
    places: list
    runs: int
    made: int


@dataclass
class Group:
    """Things shown in the same places and modes: the heading (`where`), the places."""

    where: str
    places: list
    said: list[Said]


def grouped(shown: Iterable[tuple[Hashable, Hashable, str, object]],
            name: Callable[[list], str], modes: Sequence[str],
            made: dict[tuple[Hashable, str], int] | None = None) -> list[Group]:
    """`shown`: (key, place, mode, run) for each run that showed `key`, in the order to say
    them; `name(places)` says places ("every cell", "3.13 fork/spawn"); `made`: the runs made
    at each (place, mode)."""
    by_key: dict[Hashable, dict[str, list]] = {}  # key -> mode -> places
    runs: dict[Hashable, set] = {}
    order: dict[Hashable, dict] = {}  # key -> its places, in the order shown
    for key, place, mode, run in shown:
        at = by_key.setdefault(key, {}).setdefault(mode, [])
        if place not in at:
            at.append(place)
        order.setdefault(key, {})[place] = None
        runs.setdefault(key, set()).add((place, mode, run))
    groups: dict[str, Group] = {}
    for key, by_mode in by_key.items():
        modes_of: dict[str, list[str]] = {}  # the places' text -> the modes
        for mode, places in by_mode.items():
            modes_of.setdefault(name(places), []).append(mode)
        where = "; ".join(text if len(modes_of) == 1 and set(shown_in) == set(modes)
                          else f"{text} ({', '.join(shown_in)})"
                          for text, shown_in in modes_of.items())
        places = list(order[key])
        total = sum((made or {}).get((p, m), 0) for m, at in by_mode.items() for p in at)
        groups.setdefault(where, Group(where, places, [])).said.append(
            Said(key, places, len(runs[key]), total))
    return list(groups.values())


def counted(said: Said) -> str:
    """'in 6 of 6 runs of 3 cells', 'in 2 of 3 runs', 'in 2 cells' (no run made: a script not
    run); '' for one run of one cell."""
    cells = len(said.places)
    if not said.made:
        return f"in {cells} cells" if cells > 1 else ""
    if said.made == 1 and cells == 1:
        return ""
    return f"in {said.runs} of {said.made} runs" + (f" of {cells} cells" if cells > 1 else "")
