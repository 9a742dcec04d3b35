import math
import random
from collections import Counter, defaultdict

import pytest

from demo.data import MALANG_PARTICIPANTS
from participants.grouping import (
    Member,
    form_groups,
    group_count_for_size,
    mixing_score,
    normalise_unit,
    unit_kind,
)


def malang_members(unit=lambda p: p["unit_name"]):
    return [Member(key=index + 1, unit=unit(p), role=p["retreat_role"]) for index, p in enumerate(MALANG_PARTICIPANTS)]


def parent_unit(participant):
    """'Sekretariat Daerah (Bagian Hukum)' -> 'Sekretariat Daerah': 17 Setda people share one unit."""
    return participant["unit_name"].split(" (")[0]


def per_group(members, assignment, group_count, attribute):
    """value -> [count in group 1, count in group 2, ...]"""
    counts = defaultdict(lambda: [0] * group_count)
    for member in members:
        counts[attribute(member)][assignment[member.key] - 1] += 1
    return counts


def assert_evenly_spread(members, assignment, group_count, attribute):
    for value, counts in per_group(members, assignment, group_count, attribute).items():
        share = sum(counts) / group_count
        assert set(counts) <= {math.floor(share), math.ceil(share)}, (value, counts)


def assert_balanced(grouping, members, group_count):
    assert len(grouping.sizes) == group_count
    assert sum(grouping.sizes) == len(members)
    assert max(grouping.sizes) - min(grouping.sizes) <= 1
    assert Counter(grouping.assignment.values()) == {g + 1: size for g, size in enumerate(grouping.sizes) if size}


def groups_of(grouping, members, role):
    return [grouping.assignment[m.key] for m in members if m.role == role]


# -- Malang cohort -------------------------------------------------------------------------------------------------


def test_malang_cohort_is_what_the_tests_assume():
    roles = Counter(p["retreat_role"] for p in MALANG_PARTICIPANTS)
    assert len(MALANG_PARTICIPANTS) == 106
    assert roles["lurah"] == 57
    assert (roles["sekda"], roles["asisten"], roles["camat"], roles["staf_ahli"]) == (1, 3, 5, 5)


@pytest.mark.parametrize("group_count", [10, 12, 15])
def test_form_groups_malang_sizes_balanced(group_count):
    members = malang_members()
    grouping = form_groups(members, group_count=group_count)
    assert set(grouping.assignment) == {m.key for m in members}
    assert set(grouping.assignment.values()) == set(range(1, group_count + 1))
    assert_balanced(grouping, members, group_count)


@pytest.mark.parametrize("group_count", [10, 12, 15])
def test_form_groups_malang_units_never_pile_up(group_count):
    # Parts of one unit count as that unit ("Sekretariat Daerah (Bagian Hukum)"): the 17 Setda people are
    # spread floor/ceil; every other unit appears at most once per group.
    members = malang_members()
    grouping = form_groups(members, group_count=group_count)
    assert_evenly_spread(members, grouping.assignment, group_count, lambda m: normalise_unit(m.unit))
    counts = per_group(members, grouping.assignment, group_count, lambda m: normalise_unit(m.unit))
    assert all(max(c) <= 1 for unit, c in counts.items() if unit != "sekretariat daerah")


@pytest.mark.parametrize("group_count", [10, 12, 15])
def test_form_groups_malang_setda_as_one_unit_spread(group_count):
    # With sub-units folded into their parent, 17 people share "Sekretariat Daerah" and two share
    # "Perumda Tugu Aneka Usaha": collisions are partly unavoidable, so each group gets floor/ceil of the share.
    members = malang_members(unit=parent_unit)
    assert Counter(m.unit for m in members)["Sekretariat Daerah"] == 17
    grouping = form_groups(members, group_count=group_count)
    assert_evenly_spread(members, grouping.assignment, group_count, lambda m: normalise_unit(m.unit))
    assert_evenly_spread(members, grouping.assignment, group_count, lambda m: m.role)
    assert_balanced(grouping, members, group_count)


@pytest.mark.parametrize("group_count", [10, 12, 15])
def test_form_groups_malang_roles_get_fair_share(group_count):
    members = malang_members()
    grouping = form_groups(members, group_count=group_count)
    assert_evenly_spread(members, grouping.assignment, group_count, lambda m: m.role)
    lurah = Counter(groups_of(grouping, members, "lurah"))
    share = 57 / group_count
    assert set(lurah.values()) <= {math.floor(share), math.ceil(share)}


@pytest.mark.parametrize("group_count", [10, 12, 15])
def test_form_groups_malang_unit_kinds_spread(group_count):
    members = malang_members()
    grouping = form_groups(members, group_count=group_count)
    assert_evenly_spread(members, grouping.assignment, group_count, lambda m: unit_kind(m.unit))


@pytest.mark.parametrize("role", ["sekda", "asisten", "camat", "staf_ahli", "direktur_bumd"])
def test_form_groups_malang_senior_roles_in_distinct_groups(role):
    members = malang_members()
    grouping = form_groups(members, group_count=10)
    groups = groups_of(grouping, members, role)
    assert len(groups) == len(set(groups))


def test_form_groups_locks_honoured_and_balanced():
    members = malang_members()
    lurah_keys = [m.key for m in members if m.role == "lurah"][:5]
    camat_keys = [m.key for m in members if m.role == "camat"][:2]
    locks = dict.fromkeys(lurah_keys, 3) | dict.fromkeys(camat_keys, 1)
    members = [Member(m.key, m.unit, m.role, locks.get(m.key)) for m in members]

    grouping = form_groups(members, group_count=10, seed=4)

    assert all(grouping.assignment[key] == group for key, group in locks.items())
    assert_balanced(grouping, members, 10)
    # The two locked camat share group 1 (unavoidable); the other three go to three other groups.
    other_camat = [grouping.assignment[m.key] for m in members if m.role == "camat" and m.key not in locks]
    assert 1 not in other_camat
    assert len(set(other_camat)) == 3
    lurah = Counter(groups_of(grouping, members, "lurah"))
    assert set(lurah.values()) <= {5, 6}


def test_form_groups_locks_that_break_balance_stay_and_rest_is_as_even_as_possible():
    members = [Member(key, f"Dinas {key}", "kepala_pd", locked_group=1 if key <= 5 else None) for key in range(1, 11)]
    grouping = form_groups(members, group_count=5)
    assert all(grouping.assignment[key] == 1 for key in range(1, 6))
    assert grouping.sizes[0] == 5
    assert sorted(grouping.sizes[1:]) == [1, 1, 1, 2]


def test_form_groups_same_seed_any_order_same_result():
    members = malang_members()
    shuffled = members[:]
    random.Random(99).shuffle(shuffled)
    first = form_groups(members, group_count=12, seed=7)
    second = form_groups(shuffled, group_count=12, seed=7)
    assert first.assignment == second.assignment
    assert first.sizes == second.sizes
    assert first.score == second.score


def test_form_groups_other_seeds_differ_but_stay_valid():
    members = malang_members()
    groupings = [form_groups(members, group_count=10, seed=seed) for seed in range(5)]
    assert len({tuple(sorted(g.assignment.items())) for g in groupings}) > 1
    for grouping in groupings:
        assert_balanced(grouping, members, 10)
        assert_evenly_spread(members, grouping.assignment, 10, lambda m: m.role)
        assert grouping.score >= 90


# -- Score ----------------------------------------------------------------------------------------------------------


def test_mixing_score_malang_formed_high_and_role_chunks_much_lower():
    members = malang_members()
    grouping = form_groups(members, group_count=10)
    by_role = sorted(members, key=lambda m: (m.role, m.key))
    bad = {m.key: index * 10 // len(by_role) + 1 for index, m in enumerate(by_role)}  # consecutive chunks

    bad_score = mixing_score(members, bad, 10)

    assert grouping.score >= 90
    assert grouping.score == mixing_score(members, grouping.assignment, 10)
    assert bad_score <= grouping.score - 30


@pytest.mark.parametrize("group_count", [10, 12, 15])
def test_mixing_score_malang_formed_beats_random_shuffles(group_count):
    # A balanced random shuffle already avoids most collisions (about 92 on this cohort, up to ~98), so the
    # score that matters is the top of the scale: the formed grouping reaches a perfect spread.
    members = malang_members()
    formed = form_groups(members, group_count=group_count)
    rng = random.Random(group_count)
    for _ in range(20):
        shuffled = rng.sample(members, len(members))
        assignment = {m.key: index % group_count + 1 for index, m in enumerate(shuffled)}
        assert mixing_score(members, assignment, group_count) < formed.score
    assert formed.score == 100


def test_mixing_score_all_lurah_together_low():
    members = malang_members()
    good = form_groups(members, group_count=10).assignment
    lurah = [m for m in members if m.role == "lurah"]
    others = [m for m in members if m.role != "lurah"]
    piled = {m.key: index // 11 + 1 for index, m in enumerate(lurah + others)}
    assert mixing_score(members, piled, 10) < mixing_score(members, good, 10) - 50


def test_mixing_score_perfect_spread_is_100_and_one_collision_less():
    members = [Member(key, f"Unit {key % 3}", ["lurah", "camat"][key % 2]) for key in range(6)]
    # Units 0,1,2,0,1,2 and roles l,c,l,c,l,c: groups {0,1,2}, {3,4,5} hold each unit once and both roles.
    perfect = {0: 1, 1: 1, 2: 1, 3: 2, 4: 2, 5: 2}
    worse = {0: 1, 3: 1, 1: 1, 2: 2, 4: 2, 5: 2}  # Unit 0 twice in group 1
    assert mixing_score(members, perfect, 2) == 100
    assert mixing_score(members, worse, 2) < 100


def test_mixing_score_rejects_incomplete_assignment():
    members = [Member(1, "Dinas A", "kepala_pd"), Member(2, "Dinas B", "kepala_pd")]
    with pytest.raises(ValueError, match="Member 2"):
        mixing_score(members, {1: 1}, 2)
    with pytest.raises(ValueError, match="Member 1"):
        mixing_score(members, {1: 3, 2: 1}, 2)


# -- Synthetic cases ------------------------------------------------------------------------------------------------


def test_form_groups_unavoidable_same_unit_split_evenly():
    members = [Member(key, "Dinas Kesehatan", "other") for key in range(1, 7)]
    members += [Member(key, f"Kelurahan {key}", "lurah") for key in range(7, 10)]
    grouping = form_groups(members, group_count=3)
    counts = per_group(members, grouping.assignment, 3, lambda m: m.unit)
    assert counts["Dinas Kesehatan"] == [2, 2, 2]
    assert sorted(Counter(groups_of(grouping, members, "lurah")).values()) == [1, 1, 1]


def test_form_groups_repeated_units_avoidable_never_together():
    # 8 units of 5 people into 5 groups: each unit exactly once per group, although each unit is one role
    # and one kind, so unit, role and kind pull in the same direction only when done right.
    kinds = ["Dinas", "Badan", "Kelurahan", "Kecamatan"]
    roles = ["kepala_pd", "kepala_pd", "lurah", "camat"]
    members = [Member(u * 5 + i + 1, f"{kinds[u % 4]} {u}", roles[u % 4]) for u in range(8) for i in range(5)]
    for seed in range(5):
        grouping = form_groups(members, group_count=5, seed=seed)
        counts = per_group(members, grouping.assignment, 5, lambda m: m.unit)
        assert all(c == [1, 1, 1, 1, 1] for c in counts.values()), seed
        assert grouping.score == 100


def test_form_groups_unit_names_compared_without_case_and_spacing():
    members = [
        Member(1, "Dinas Kesehatan", "lurah"),
        Member(2, "  dinas   KESEHATAN ", "camat"),
        Member(3, "Dinas Sosial", "lurah"),
        Member(4, "Dinas Perhubungan", "camat"),
    ]
    for seed in range(10):
        grouping = form_groups(members, group_count=2, seed=seed)
        assert grouping.assignment[1] != grouping.assignment[2], seed


def test_form_groups_lurah_not_piled_by_unit_kind():
    # Roles alone would not separate them: every member is "other", only the unit kind differs.
    members = [Member(key, f"Kelurahan {key}", "other") for key in range(1, 9)]
    members += [Member(key, f"Dinas {key}", "other") for key in range(9, 17)]
    grouping = form_groups(members, group_count=4)
    assert_evenly_spread(members, grouping.assignment, 4, lambda m: unit_kind(m.unit))


def test_form_groups_thousand_members_forty_groups():
    rng = random.Random(2025)
    kinds = ["Kelurahan", "Dinas", "Badan", "Sekretariat", "Kecamatan", "Perumda", "Puskesmas", "Sekolah"]
    roles = ["lurah"] * 40 + ["kepala_pd"] * 25 + ["camat"] * 8 + ["other"] * 20 + ["asisten"] * 3 + ["sekda"]
    units = [f"{rng.choice(kinds)} {n}" for n in range(300)] + ["Dinas Pendidikan"] * 60
    members = [Member(key, rng.choice(units), rng.choice(roles)) for key in range(1, 1001)]
    locks = {key: key // 50 for key in range(50, 1001, 50)}  # groups 1..20, one lock each
    members = [Member(m.key, m.unit, m.role, locks.get(m.key)) for m in members]

    grouping = form_groups(members, group_count=40, seed=3)

    assert_balanced(grouping, members, 40)
    assert all(grouping.assignment[key] == group for key, group in locks.items())
    assert_evenly_spread(members, grouping.assignment, 40, lambda m: m.unit)
    assert_evenly_spread(members, grouping.assignment, 40, lambda m: m.role)
    assert grouping.score >= 99


# -- Edge cases -----------------------------------------------------------------------------------------------------


def test_form_groups_no_members():
    grouping = form_groups([], group_count=3)
    assert grouping.assignment == {}
    assert grouping.sizes == [0, 0, 0]
    assert grouping.score == 100


def test_form_groups_fewer_members_than_groups():
    members = [Member(key, "Dinas Kesehatan", "kepala_pd") for key in range(1, 4)]
    grouping = form_groups(members, group_count=5)
    assert sorted(grouping.sizes) == [0, 0, 1, 1, 1]
    assert len(set(grouping.assignment.values())) == 3
    assert grouping.score == 100


def test_form_groups_one_group_takes_everyone():
    members = malang_members()
    grouping = form_groups(members, group_count=1)
    assert set(grouping.assignment.values()) == {1}
    assert grouping.sizes == [106]


@pytest.mark.parametrize("group_count", [0, -2])
def test_form_groups_group_count_below_one_rejected(group_count):
    with pytest.raises(ValueError, match="group_count must be a whole number of at least 1"):
        form_groups([Member(1, "Dinas A", "other")], group_count=group_count)


@pytest.mark.parametrize("locked_group", [0, 4])
def test_form_groups_lock_outside_range_names_member(locked_group):
    members = [Member(1, "Dinas A", "other"), Member(42, "Dinas B", "other", locked_group=locked_group)]
    with pytest.raises(ValueError, match=r"Member 42 is locked in group -?\d+, outside 1\.\.3"):
        form_groups(members, group_count=3)


def test_form_groups_duplicate_key_rejected():
    with pytest.raises(ValueError, match="Member key 7 appears more than once"):
        form_groups([Member(7, "Dinas A", "other"), Member(7, "Dinas B", "other")], group_count=2)


@pytest.mark.parametrize(
    ("member_count", "group_size", "expected"),
    [(106, 10, 11), (100, 10, 10), (101, 10, 11), (0, 10, 1), (5, 10, 1), (32, 8, 4)],
)
def test_group_count_for_size(member_count, group_size, expected):
    assert group_count_for_size(member_count, group_size) == expected


def test_group_count_for_size_rejects_zero_size():
    with pytest.raises(ValueError, match="group_size"):
        group_count_for_size(10, 0)
