"""The charts of the evaluation results, described once as series and drawn twice: in the browser by
static/evaluations/results.js (Chart.js, from the series given to the page with ``json_script``) and here
as SVG for the printed report (no JavaScript there). The SVG is built as a string; every text in it is
escaped. The tables beside the charts carry the same numbers: a chart is an addition, never the only place
a figure is."""

from dataclasses import asdict, dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

COLORS = ["#1f3b64", "#e0a526", "#4f8a5b", "#b4463c", "#6c757d"]


@dataclass
class Series:
    """A horizontal bar chart: one row per label, one bar per dataset in each row."""

    id: str
    title: str
    labels: list[str]
    datasets: list[dict]  # {"label": str, "data": [number or None, …]}
    max: float | None = None  # the end of the value axis (the scale's top point, 100); None: the largest value
    decimals: int = 2

    def as_dict(self) -> dict:
        return asdict(self)


def results_series(results) -> list[Series]:
    """The charts of the results page and the printed report, from ``selectors.results.program_results``."""
    series = []
    if results.speakers:
        series.append(Series(
            id="speaker_sessions", title=_("Speakers: overall average per session"),
            labels=[r.title for r in results.speakers],
            datasets=[{"label": _("Average"), "data": [r.overall for r in results.speakers]}],
            max=max(r.scale_max for r in results.speakers),
        ))  # fmt: skip
        series.append(Series(
            id="speaker_aspects", title=_("Speakers: average per aspect, all sessions"),
            labels=[a.text for a in results.speaker_aspects],
            datasets=[{"label": _("Average"), "data": [a.average for a in results.speaker_aspects]}],
            max=max((a.scale_max for a in results.speaker_aspects), default=4),
        ))  # fmt: skip
    for n, result in enumerate(results.organization):
        series.append(form_series(result, id=f"organization_{n}", title=_("Organization: average per question")))
    berakhlak = results.berakhlak
    if berakhlak.asked:
        series.append(Series(
            id="berakhlak", title=_("BerAKHLAK: average per value, before and after"),
            labels=[v.name for v in berakhlak.values],
            datasets=[{"label": _("Before"), "data": [v.before for v in berakhlak.values]},
                      {"label": _("After"), "data": [v.after for v in berakhlak.values]}],
            max=berakhlak.scale_max,
        ))  # fmt: skip
    tests = results.tests
    if tests.rows:
        series.append(Series(
            id="tests", title=_("Test: average score"), labels=[_("Before"), _("After")],
            datasets=[{"label": _("Average score"), "data": [tests.average_before, tests.average_after]}],
            max=100, decimals=1,
        ))  # fmt: skip
    if results.assessment.rows:
        bands = results.assessment.bands
        series.append(Series(
            id="bands", title=_("Facilitators' assessment: participants per band"),
            labels=[str(label) for label, _count in bands],
            datasets=[{"label": _("Participants"), "data": [count for _label, count in bands]}],
            decimals=0,
        ))  # fmt: skip
    return series


def form_series(result, *, id: str, title: str) -> Series:
    """The average per aspect (scale question) of one form."""
    return Series(id=id, title=title, labels=[a.text for a in result.aspects],
                  datasets=[{"label": _("Average"), "data": [a.average for a in result.aspects]}],
                  max=result.scale_max)  # fmt: skip


# --- SVG --------------------------------------------------------------------------------------------------

WIDTH = 680
LABEL_WIDTH = 250
VALUE_WIDTH = 56
BAR_HEIGHT = 13
ROW_GAP = 8
LABEL_CHARS = 44
FONT = "Liberation Sans, sans-serif"


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value, decimals: int) -> str:
    if value is None:
        return "–"
    return f"{value:.{decimals}f}".replace(".", ",") if decimals else str(round(value))


def svg_chart(series: Series) -> SafeString:
    """A horizontal bar chart as an inline ``<svg>`` element: labels on the left, bars scaled to the axis
    end (``series.max``), each bar's value after it; a legend when there is more than one dataset."""
    datasets = series.datasets
    values = [v for d in datasets for v in d["data"] if v is not None]
    top_value = series.max or max(values, default=0) or 1
    legend = 18 if len(datasets) > 1 else 0
    row = BAR_HEIGHT * len(datasets) + ROW_GAP
    plot_left, plot_width = LABEL_WIDTH + 6, WIDTH - LABEL_WIDTH - 6 - VALUE_WIDTH
    height = legend + row * len(series.labels) + 18
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(series.title)}" '
             f'font-family="{FONT}" font-size="10">']  # fmt: skip
    for n, dataset in enumerate(datasets if legend else []):
        x = plot_left + n * 120
        parts.append(f'<rect x="{x}" y="3" width="10" height="10" fill="{COLORS[n % len(COLORS)]}"/>'
                     f'<text x="{x + 14}" y="12">{escape(dataset["label"])}</text>')  # fmt: skip
    axis_y = legend + row * len(series.labels)
    # Grid lines at each point of a short scale (1–4, 1–5, a few participants), else at quarters of the axis.
    steps = int(top_value) if float(top_value).is_integer() and top_value <= 10 else 4
    for step in range(steps + 1):
        x = plot_left + plot_width * step / steps
        parts.append(f'<line x1="{x:.1f}" y1="{legend}" x2="{x:.1f}" y2="{axis_y}" stroke="#ccc" stroke-width="0.5"/>'
                     f'<text x="{x:.1f}" y="{axis_y + 12}" text-anchor="middle" fill="#555">'
                     f'{escape(_number(top_value * step / steps, 0))}</text>')  # fmt: skip
    for i, label in enumerate(series.labels):
        y = legend + i * row + ROW_GAP / 2
        parts.append(f'<text x="{LABEL_WIDTH}" y="{y + row / 2 - 1:.1f}" text-anchor="end">'
                     f'<title>{escape(label)}</title>{escape(_short(label))}</text>')  # fmt: skip
        for n, dataset in enumerate(datasets):
            value = dataset["data"][i]
            bar_y = y + n * BAR_HEIGHT
            width = max(0.0, min(1.0, (value or 0) / top_value)) * plot_width
            parts.append(f'<rect x="{plot_left}" y="{bar_y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" '
                         f'fill="{COLORS[n % len(COLORS)]}"/>'
                         f'<text x="{plot_left + width + 4:.1f}" y="{bar_y + BAR_HEIGHT - 3:.1f}">'
                         f'{escape(_number(value, series.decimals))}</text>')  # fmt: skip
    parts.append("</svg>")
    return mark_safe("".join(parts))


def svg_charts(series: list[Series]) -> dict[str, SafeString]:
    """Series id -> its SVG, for the printed report."""
    return {s.id: svg_chart(s) for s in series}
