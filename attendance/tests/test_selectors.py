def test_recap_percentage_is_cut_so_it_never_reaches_the_minimum_from_below():
    """199 of 250 is 79.6 %: shown 79 (not rounded to 80) and below 80, as completion counts it; 4 of 5 is 80."""
    from attendance.selectors import Recap, RecapRow

    below, exact = RecapRow(enrollment=None, cells=[], expected=250, present=199), RecapRow(None, [], 5, 4)
    assert (below.percent, exact.percent) == (79, 80)
    recap = Recap(sessions=[], rows=[below, exact], minimum=80, by_session={}, by_day=[])
    assert recap.below_minimum == [below]
