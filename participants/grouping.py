"""Discussion-group formation for a cohort: balanced sizes, mixed units, mixed roles.

Retreats mix units on purpose ("mengikis ego sektoral"), so a good grouping puts people of the same unit kerja
in different groups, spreads every retreat role (sekda, asisten, camat, lurah ...) evenly, and also spreads the
coarser *unit kind* (the first word of the unit: Kelurahan, Kecamatan, Dinas, Badan, Sekretariat, Perumda ...) so
that, say, the lurah are not all piled into a few groups.

Pure Python, no Django: the caller turns enrollments into `Member` rows and stores the `Grouping` it gets back.

How it works:

1. **Sizes first.** The size of every group is fixed up front by water-filling: locked members count toward their
   group, the rest go one at a time to the currently smallest group (lowest number first on ties). Without locks
   the sizes differ by at most 1; with locks that make that impossible (five people locked into a group of four),
   the smallest groups are raised as far as possible.
2. **Greedy placement.** Locked members are placed first. The others, most constrained first (large units, then
   rare roles, then rare unit kinds; ties in a seeded random order), each go to the open group where they add
   the least cost.
3. **Improvement.** Pairwise swaps between groups (and moves from a group of size s+1 to one of size s, which
   keeps the multiset of sizes) that lower the total cost, for a bounded number of rounds. Locked members never
   move and sizes stay balanced.

The cost is, for each dimension (unit, role, unit kind), the weighted sum over groups and values of count²: with a
fixed total, a sum of squares is smallest exactly when the counts differ by at most one between groups, i.e. every
group holds the floor or the ceiling of its fair share. Same-unit pairs weigh most (`UNIT_WEIGHT`), then roles,
then unit kinds.

Unit names are compared after normalising case and whitespace only. A kelurahan is *not* linked to its kecamatan
and "Sekretariat Daerah (Bagian Hukum)" is not folded into "Sekretariat Daerah": nothing in a `Member` says so
reliably. The unit-kind dimension still spreads all "Sekretariat ..." people over the groups. A member with an
empty unit takes part in no unit or unit-kind spreading; an empty role counts as "other".

Repeatable: members are put in key order before anything else and `random.Random(seed)` is used only to break
ties, so the same members in any order with the same seed give the same grouping.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

UNIT_WEIGHT = 100.0
ROLE_WEIGHT = 10.0
KIND_WEIGHT = 3.0
SIZE_WEIGHT = 1.0  # greedy only: fill groups evenly while placing
MAX_ROUNDS = 25

_DIMENSION_WEIGHTS = (UNIT_WEIGHT, ROLE_WEIGHT, KIND_WEIGHT)
_NO_VALUE = -1


@dataclass(frozen=True)
class Member:
    key: int  # enrollment id
    unit: str  # unit kerja, e.g. "Kelurahan Kedungkandang", "Dinas Kesehatan"
    role: str  # retreat role: sekda, staf_ahli, asisten, kepala_pd, direktur_bumd, camat, lurah, jpt_pratama, other
    locked_group: int | None = None  # 1..group_count: the organizer locked this person in that group


@dataclass
class Grouping:
    assignment: dict[int, int]  # member key -> group number (1..group_count)
    score: float  # mixing score 0..100, see `mixing_score`
    sizes: list[int]  # members per group, index 0 = group 1


def group_count_for_size(member_count: int, group_size: int) -> int:
    """How many groups of about `group_size` people hold `member_count` people: ceil(count / size), at least 1."""
    if group_size < 1:
        raise ValueError(f"group_size must be at least 1, got {group_size}.")
    if member_count < 0:
        raise ValueError(f"member_count cannot be negative, got {member_count}.")
    return max(1, math.ceil(member_count / group_size))


def normalise_unit(unit: str) -> str:
    """Unit name for comparison: case-folded, whitespace collapsed, and a part of a unit folded into the
    unit ("Sekretariat Daerah (Bagian Hukum)" is "sekretariat daerah"); "" when there is none."""
    return " ".join((unit or "").split(" (", 1)[0].split()).casefold()


def unit_kind(unit: str) -> str:
    """First word of the normalised unit: "kelurahan", "dinas", "sekretariat" ... ("" when there is no unit)."""
    normalised = normalise_unit(unit)
    return normalised.split(" ", 1)[0] if normalised else ""


def normalise_role(role: str) -> str:
    return " ".join((role or "").split()).casefold() or "other"


def _dimension_values(member: Member) -> tuple[str, str, str]:
    """(unit, role, kind) as compared; "" means "no value", which is never counted as a collision."""
    return normalise_unit(member.unit), normalise_role(member.role), unit_kind(member.unit)


def _check_group_count(group_count: int) -> None:
    if not isinstance(group_count, int) or isinstance(group_count, bool) or group_count < 1:
        raise ValueError(f"group_count must be a whole number of at least 1, got {group_count!r}.")


def _check_members(members: list[Member], group_count: int) -> None:
    seen: set[int] = set()
    for member in members:
        if member.key in seen:
            raise ValueError(f"Member key {member.key} appears more than once.")
        seen.add(member.key)
        locked = member.locked_group
        if locked is not None and (
            not isinstance(locked, int) or isinstance(locked, bool) or not 1 <= locked <= group_count
        ):
            raise ValueError(f"Member {member.key} is locked in group {locked!r}, outside 1..{group_count}.")


# --------------------------------------------------------------------------------------------------------------
# Score


def _even_counts(total: int, capacities: list[int]) -> list[int]:
    """Spread `total` over groups as evenly as the capacities allow (the fewest same-value pairs)."""
    counts = [0] * len(capacities)
    open_groups = [g for g, cap in enumerate(capacities) if cap > 0]
    remaining = total
    while remaining > 0 and open_groups:
        share, extra = divmod(remaining, len(open_groups))
        # Raise every open group by `share` (or to its capacity), then hand out the rest one each.
        still_open = []
        for index, g in enumerate(open_groups):
            want = share + (1 if index < extra else 0)
            take = min(want, capacities[g] - counts[g])
            counts[g] += take
            remaining -= take
            if counts[g] < capacities[g]:
                still_open.append(g)
        if len(still_open) == len(open_groups):
            break  # everyone took what they wanted: remaining is 0
        open_groups = still_open
    return counts


def _piled_counts(total: int, capacities: list[int]) -> list[int]:
    """Pile `total` into the largest groups first (the most same-value pairs)."""
    counts = []
    remaining = total
    for cap in sorted(capacities, reverse=True):
        take = min(cap, remaining)
        counts.append(take)
        remaining -= take
    return counts


def _pairs(counts) -> int:
    return sum(c * (c - 1) // 2 for c in counts)


def mixing_score(members: list[Member], assignment: dict[int, int], group_count: int) -> float:
    """How well `assignment` mixes units, roles and unit kinds, from 0 (piled up) to 100 (perfectly spread).

    For one dimension (unit, role or unit kind) and one value of it (say role "lurah"), count the *collisions*:
    pairs of members in the same group that share the value. Given the group sizes of `assignment`:

    - `best`  = collisions when the value is spread as evenly as the sizes allow (floor/ceil per group),
    - `worst` = collisions when it is piled into the largest groups,
    - `actual` = collisions in `assignment`.

    The dimension's score is `1 - sum(actual - best) / sum(worst - best)` over its values, i.e. the share of the
    avoidable collisions that were avoided. The mixing score is 100 × the mean of the dimension scores, taken
    over the dimensions where the arrangement matters at all (`worst > best`; with every unit distinct, the unit
    dimension cannot be got wrong and is left out). 100 means every unit, role and unit kind is spread evenly;
    a grouping that puts all lurah together scores far lower. Rounded to 2 decimals.
    """
    _check_group_count(group_count)
    sizes = [0] * group_count
    counts: list[dict[str, list[int]]] = [defaultdict(lambda: [0] * group_count) for _ in range(3)]
    for member in members:
        group = assignment.get(member.key)
        if group is None:
            raise ValueError(f"Member {member.key} has no group in the assignment.")
        if not 1 <= group <= group_count:
            raise ValueError(f"Member {member.key} is in group {group}, outside 1..{group_count}.")
        sizes[group - 1] += 1
        for dimension, value in enumerate(_dimension_values(member)):
            if value:
                counts[dimension][value][group - 1] += 1

    dimension_scores = []
    for per_value in counts:
        excess = avoidable = 0
        for group_counts in per_value.values():
            total = sum(group_counts)
            best = _pairs(_even_counts(total, sizes))
            worst = _pairs(_piled_counts(total, sizes))
            excess += _pairs(group_counts) - best
            avoidable += worst - best
        if avoidable > 0:
            dimension_scores.append(1 - max(0, excess) / avoidable)
    if not dimension_scores:
        return 100.0
    return round(100 * sum(dimension_scores) / len(dimension_scores), 2)


# --------------------------------------------------------------------------------------------------------------
# Formation


def _target_sizes(member_count: int, locked_counts: list[int]) -> list[int]:
    """Water-fill: locked members stay, every other member raises the smallest group (lowest number on ties)."""
    sizes = list(locked_counts)
    free = member_count - sum(locked_counts)
    while free > 0:
        level = min(sizes)
        lowest = [g for g, size in enumerate(sizes) if size == level]
        higher = [size for size in sizes if size > level]
        step = min(higher) - level if higher else math.inf
        if len(lowest) * step <= free:
            for g in lowest:
                sizes[g] += step
            free -= len(lowest) * step
        else:
            share, extra = divmod(free, len(lowest))
            for index, g in enumerate(lowest):
                sizes[g] += share + (1 if index < extra else 0)
            free = 0
    return sizes


def form_groups(members: list[Member], *, group_count: int, seed: int = 0) -> Grouping:
    """Split `members` into `group_count` groups of balanced size that mix units, roles and unit kinds.

    Locked members stay in their group. Raises ValueError for group_count < 1, a duplicate key or a
    locked_group outside 1..group_count. Same members (in any order) and same seed give the same result.
    """
    _check_group_count(group_count)
    _check_members(members, group_count)
    rng = random.Random(seed)
    ordered = sorted(members, key=lambda m: m.key)
    n = len(ordered)
    if n == 0:
        return Grouping(assignment={}, score=100.0, sizes=[0] * group_count)

    # Values as small integers per dimension, _NO_VALUE for "none".
    raw = [_dimension_values(m) for m in ordered]
    value_ids: list[dict[str, int]] = [{}, {}, {}]
    vals: list[tuple[int, int, int]] = []
    for row in raw:
        ids = []
        for dimension, value in enumerate(row):
            ids.append(value_ids[dimension].setdefault(value, len(value_ids[dimension])) if value else _NO_VALUE)
        vals.append(tuple(ids))
    totals = [Counter(v[d] for v in vals) for d in range(3)]

    locked_counts = [0] * group_count
    for member in ordered:
        if member.locked_group is not None:
            locked_counts[member.locked_group - 1] += 1
    capacity = _target_sizes(n, locked_counts)

    # counts[d][g][v]: members of value v (dimension d) in group g (0-based).
    counts = [[[0] * len(value_ids[d]) for _ in range(group_count)] for d in range(3)]
    sizes = [0] * group_count
    group_of = [0] * n

    def place(i: int, g: int) -> None:
        group_of[i] = g
        sizes[g] += 1
        for d, v in enumerate(vals[i]):
            if v != _NO_VALUE:
                counts[d][g][v] += 1

    locked = [i for i, m in enumerate(ordered) if m.locked_group is not None]
    for i in locked:
        place(i, ordered[i].locked_group - 1)

    free = [i for i, m in enumerate(ordered) if m.locked_group is None]
    tiebreak = {i: rng.random() for i in free}

    def pressure(i: int) -> tuple:
        unit, role, kind = vals[i]
        return (
            -(totals[0][unit] if unit != _NO_VALUE else 0),
            totals[1][role],
            totals[2][kind] if kind != _NO_VALUE else n,
            tiebreak[i],
        )

    free.sort(key=pressure)
    for i in free:
        best_group, best_cost = -1, math.inf
        for g in range(group_count):
            if sizes[g] >= capacity[g]:
                continue
            cost = SIZE_WEIGHT * sizes[g] / capacity[g] + rng.random() * 1e-6
            for d, v in enumerate(vals[i]):
                if v != _NO_VALUE:
                    cost += _DIMENSION_WEIGHTS[d] * (2 * counts[d][g][v] + 1)
            if cost < best_cost:
                best_group, best_cost = g, cost
        place(i, best_group)

    _improve(vals, counts, sizes, group_of, free, group_count)

    assignment = {ordered[i].key: group_of[i] + 1 for i in range(n)}
    return Grouping(
        assignment=assignment,
        score=mixing_score(ordered, assignment, group_count),
        sizes=list(sizes),
    )


def _improve(vals, counts, sizes, group_of, movable, group_count) -> None:
    """Swap (or move between groups of size s+1 and s) movable members while that lowers the cost.

    Only members that sit in a group holding at least two more of one of their values than some other group
    (so the cost can still drop for them) start a search; each takes the best improving swap or move over all
    movable members, first found on ties (the order of `movable` is already seeded).
    """
    weights = _DIMENSION_WEIGHTS

    def out_delta(g: int, v: tuple) -> float:  # cost change of taking values v out of group g
        return sum(weights[d] * (1 - 2 * counts[d][g][x]) for d, x in enumerate(v) if x != _NO_VALUE)

    def in_delta(g: int, v: tuple) -> float:  # cost change of putting values v into group g
        return sum(weights[d] * (1 + 2 * counts[d][g][x]) for d, x in enumerate(v) if x != _NO_VALUE)

    def swap_delta(a: int, b: int) -> float:
        g, h = group_of[a], group_of[b]
        va, vb = vals[a], vals[b]
        delta = 0.0
        for d in range(3):
            x, y = va[d], vb[d]
            if x == y:
                continue
            cg, ch = counts[d][g], counts[d][h]
            if x != _NO_VALUE:
                delta += weights[d] * ((1 - 2 * cg[x]) + (1 + 2 * ch[x]))
            if y != _NO_VALUE:
                delta += weights[d] * ((1 - 2 * ch[y]) + (1 + 2 * cg[y]))
        return delta

    def shift(i: int, g: int, h: int) -> None:
        for d, x in enumerate(vals[i]):
            if x != _NO_VALUE:
                counts[d][g][x] -= 1
                counts[d][h][x] += 1
        sizes[g] -= 1
        sizes[h] += 1
        group_of[i] = h

    def is_hot(i: int) -> bool:
        g = group_of[i]
        for d, x in enumerate(vals[i]):
            if x == _NO_VALUE:
                continue
            here = counts[d][g][x]
            if here >= 2 and any(here - counts[d][h][x] >= 2 for h in range(group_count) if h != g):
                return True
        return False

    eps = 1e-9
    for _ in range(MAX_ROUNDS):
        improved = False
        for a in movable:
            if not is_hot(a):
                continue
            g = group_of[a]
            best_delta, best_swap, best_move = -eps, None, None
            for b in movable:
                if group_of[b] == g or vals[b] == vals[a]:
                    continue
                delta = swap_delta(a, b)
                if delta < best_delta:
                    best_delta, best_swap, best_move = delta, b, None
            leaving = out_delta(g, vals[a])
            for h in range(group_count):
                if h != g and sizes[h] == sizes[g] - 1:
                    delta = leaving + in_delta(h, vals[a])
                    if delta < best_delta:
                        best_delta, best_swap, best_move = delta, None, h
            if best_swap is not None:
                h = group_of[best_swap]
                shift(a, g, h)
                shift(best_swap, h, g)
                improved = True
            elif best_move is not None:
                shift(a, g, best_move)
                improved = True
        if not improved:
            break
