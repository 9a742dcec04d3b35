"""The program page frame: the tab bar every program page shows, the panels of the program's overview and
the figures on each program card of the dashboard. Each app registers its own in its ``AppConfig.ready()``
(as apps register document builders in ``documents.py``), so no app edits another app's template and the
core knows nothing of the apps above it.

    register_tab(key="participants", label=_("Participants"), url_name="participants:enrollment_list",
                 rule="participants.view_enrollments", order=20)

A tab's rule is the rule of the page it opens (a test checks it), so a tab shows exactly to those who may
open its page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str  # reversed with the program's pk as ``program_pk``
    rule: str  # the permission that shows the tab; the page itself enforces it too
    order: int


@dataclass(frozen=True)
class Panel:
    """A card on the program overview: ``context(request, program)`` gives what ``template`` shows."""

    key: str
    template: str
    context: Callable
    rule: str
    order: int


@dataclass(frozen=True)
class ProgramFigure:
    """A count on the dashboard's program cards: ``annotate(queryset)`` adds ``key`` to each program;
    ``template`` shows it (``program`` in its context)."""

    key: str
    annotate: Callable
    template: str
    order: int


_tabs: dict[str, Tab] = {}
_panels: dict[str, Panel] = {}
_figures: dict[str, ProgramFigure] = {}


def register_tab(**fields) -> Tab:
    tab = Tab(**fields)
    _tabs[tab.key] = tab
    return tab


def register_panel(**fields) -> Panel:
    panel = Panel(**fields)
    _panels[panel.key] = panel
    return panel


def register_program_figure(**fields) -> ProgramFigure:
    figure = ProgramFigure(**fields)
    _figures[figure.key] = figure
    return figure


def tabs_for(user, program, active: str = "") -> list[dict]:
    """The tabs this user may open on this program, in order, the active one marked."""
    return [
        {
            "key": tab.key,
            "label": tab.label,
            "url": reverse(tab.url_name, kwargs={"program_pk": program.pk}),
            "active": tab.key == active,
        }
        for tab in sorted(_tabs.values(), key=lambda tab: tab.order)
        if user.has_perm(tab.rule, program)
    ]


def panels_for(request, program) -> list[dict]:
    """The overview's panels this user may see, each with its template and context."""
    return [
        {"key": panel.key, "template": panel.template, "context": panel.context(request, program)}
        for panel in sorted(_panels.values(), key=lambda panel: panel.order)
        if request.user.has_perm(panel.rule, program)
    ]


def program_figures() -> list[ProgramFigure]:
    return sorted(_figures.values(), key=lambda figure: figure.order)
