"""Room assignment for a residential retreat: men with men, women with women, never more people than beds, and
people of one work unit spread over different rooms (the same "mengikis ego sektoral" as the discussion groups).

Pure Python, no Django: the caller turns rooms and enrollments into `Bed` and `Sleeper` rows and stores the
`Placement` it gets back (participants.services.rooms_assign).

How it works:

1. **Locked people stay** where the organizer put them and count toward their room's beds, whatever the room.
2. **Who cannot be placed automatically** is set aside with the reason: a person whose sex is not known
   (placed by hand), or one of a sex for which no room (or no free bed) is left.
3. **Greedy placement**, per sex: people of large units first (they are the hardest to spread), then by key;
   each goes to the room of their sex with a free bed where the fewest people of their unit already sleep,
   then the fullest such room (rooms are filled one after another rather than all left half empty), then the
   first in room order.

Rooms whose sex is not set are never used automatically. Repeatable: the same rows in any order give the same
placement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .grouping import normalise_unit

NO_SEX = "no_sex"  # the person's sex is not known: placed by hand
NO_ROOM = "no_room"  # no room is set aside for the person's sex
NO_BED = "no_bed"  # the rooms of the person's sex are full


@dataclass(frozen=True)
class Bed:
    """A room as the assignment sees it; `order` is its place in the rooming list."""

    key: int
    sex: str  # "L", "P", or "" (not set: not used automatically)
    capacity: int
    order: int = 0


@dataclass(frozen=True)
class Sleeper:
    key: int  # enrollment id
    sex: str  # "L", "P", or "" (unknown)
    unit: str
    locked_room: int | None = None  # a Bed key: the organizer locked this person in that room


@dataclass
class Placement:
    assignment: dict[int, int] = field(default_factory=dict)  # sleeper key -> bed key
    unplaced: dict[int, str] = field(default_factory=dict)  # sleeper key -> NO_SEX, NO_ROOM or NO_BED


def assign_rooms(beds: list[Bed], sleepers: list[Sleeper]) -> Placement:
    rooms = {bed.key: bed for bed in beds}
    result = Placement()
    occupied: Counter[int] = Counter()
    units: dict[int, Counter[str]] = defaultdict(Counter)
    free = []
    for sleeper in sorted(sleepers, key=lambda s: s.key):
        if sleeper.locked_room is not None and sleeper.locked_room in rooms:
            result.assignment[sleeper.key] = sleeper.locked_room
            occupied[sleeper.locked_room] += 1
            units[sleeper.locked_room][normalise_unit(sleeper.unit)] += 1
        else:
            free.append(sleeper)
    unit_sizes = Counter(normalise_unit(s.unit) for s in free if s.unit)
    free.sort(key=lambda s: (-unit_sizes[normalise_unit(s.unit)] if s.unit else 0, s.key))
    for sleeper in free:
        if not sleeper.sex:
            result.unplaced[sleeper.key] = NO_SEX
            continue
        own = [bed for bed in beds if bed.sex == sleeper.sex]
        if not own:
            result.unplaced[sleeper.key] = NO_ROOM
            continue
        unit = normalise_unit(sleeper.unit)
        open_rooms = [bed for bed in own if occupied[bed.key] < bed.capacity]
        if not open_rooms:
            result.unplaced[sleeper.key] = NO_BED
            continue
        best = min(
            open_rooms,
            key=lambda bed: (units[bed.key][unit] if unit else 0, -occupied[bed.key], bed.order, bed.key),
        )
        result.assignment[sleeper.key] = best.key
        occupied[best.key] += 1
        if unit:
            units[best.key][unit] += 1
    return result
