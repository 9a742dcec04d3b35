"""Odd input never makes a server error: every page the permission matrix reaches is opened by the program's
organizer, then every form on it is sent with odd values (Unicode digits, huge numbers, junk, NUL bytes,
very long text), and every page is asked for with odd query parameters. Hypothesis draws the values; any
5xx fails with the request that caused it.

It lives in the top layer because its world holds every app's objects (demo/tests/test_permissions.py)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retreat.access import PUBLIC, declared_access
from retreat.enums import Role

from .test_permissions import _routes, build_world, fill, methods_of, url_kwargs

ODD = st.one_of(
    st.sampled_from(
        [
            "²",
            "١٢",
            "９",
            "Ⅻ",
            "999999999999999",
            "-999999999999999",
            "1e309",
            "-1",
            "0",
            "NaN",
            "inf",
            "",
            " ",
            "null",
            "<script>",
            "'\"",
            "\x00",
            "a\x00b",
            "%00",
            "../../etc/passwd",
            "1,5",
            "2025-02-30",
            "99999-12-31",
            "25:61",
            "19.00",
            "T",
            "[]",
            "{}",
            "x" * 3000,
            "𝟙𝟚",
            "٣٠",
            "\u202e",
            "0x10",
        ]
    ),  # fmt: skip
    st.text(max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)

# Query parameters the list pages read, besides those of their GET forms.
QUERY_NAMES = ("q", "role", "unit", "group", "cohort", "status", "day", "page", "sort", "session", "kind", "format",
               "form", "phase", "participant", "next", "lang", "tab", "date", "filter")  # fmt: skip
SKIPPED_ACTIONS = ("/akun/keluar/",)  # logging out ends the walk, not a server error


class Forms(HTMLParser):
    """The forms of a page: method, action and the names of their fields (file inputs left out)."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                             "fields": set()}  # fmt: skip
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            if attrs.get("type") == "file":
                return
            target = self._current
            if attrs.get("form"):  # a field outside its form: attached to the page's last POST form
                target = next((f for f in reversed(self.forms) if f["method"] == "post"), None)
            if target is not None and attrs["name"] != "csrfmiddlewaretoken":
                target["fields"].add(attrs["name"])
            if tag == "button" and target is not None and attrs.get("formaction"):
                self.forms.append({**target, "action": attrs["formaction"], "fields": set(target["fields"])})

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def _organizer_routes():
    for param in _routes():
        route, name, pattern = param.values
        if "get" in methods_of(pattern) and declared_access(pattern.callback) != PUBLIC:
            yield param


@pytest.mark.parametrize(("route", "name", "pattern"), list(_organizer_routes()))
def test_odd_input_never_makes_a_server_error(route, name, pattern, client, db, django_capture_on_commit_callbacks):
    world = build_world("Malang")
    client.force_login(world["users"][Role.ORGANIZER])
    url = fill(route, url_kwargs(route, name, world))
    page = client.get(url)
    assert page.status_code < 500, f"GET {url}: {page.status_code}"
    forms = [] if page.get("Content-Type", "").split(";")[0] != "text/html" else _forms(page.content.decode())
    gets = sorted({n for f in forms if f["method"] == "get" for n in f["fields"]} | set(QUERY_NAMES))
    posts = [f for f in forms if f["method"] == "post" and f["action"] not in SKIPPED_ACTIONS]

    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
    @given(query=st.dictionaries(st.sampled_from(gets), ODD, max_size=4),
           which=st.integers(min_value=0, max_value=max(0, len(posts) - 1)), data=st.data())  # fmt: skip
    def odd(query, which, data):
        response = client.get(url, query)
        assert response.status_code < 500, f"GET {url} {query!r}: {response.status_code}"
        if not posts:
            return
        form = posts[which]
        values = data.draw(st.fixed_dictionaries(dict.fromkeys(sorted(form["fields"]), ODD)))
        target = urlsplit(form["action"]).path or url
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(target, values)
        assert response.status_code < 500, f"POST {target} {values!r}: {response.status_code}"
        client.force_login(world["users"][Role.ORGANIZER])  # in case the form changed who is logged in

    odd()
