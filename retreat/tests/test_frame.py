"""The program frame's registry: every registered tab leads to a page whose own rule is the tab's rule."""

from django.urls import resolve, reverse

from retreat.access import declared_access
from retreat.frame import _tabs, tabs_for


def test_every_tab_shows_exactly_when_its_page_lets_the_user_in():
    assert {"program", "participants", "groups", "agenda"} <= set(_tabs)
    for tab in _tabs.values():
        page = resolve(reverse(tab.url_name, kwargs={"program_pk": 1}))
        assert declared_access(page.func) == tab.rule, tab.key


def test_tabs_in_order_with_the_active_one_marked(rf, organizer, program):
    tabs = tabs_for(organizer, program, active="agenda")
    orders = [_tabs[tab["key"]].order for tab in tabs]
    assert orders == sorted(orders)
    assert [tab["key"] for tab in tabs if tab["active"]] == ["agenda"]
    assert tabs[0]["url"] == reverse("retreat:program_detail", kwargs={"program_pk": program.pk})


def test_no_tabs_for_someone_outside_the_program(other_program, organizer):
    assert tabs_for(organizer, other_program) == []
