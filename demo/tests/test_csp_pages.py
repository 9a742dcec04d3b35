"""Every page works under the Content-Security-Policy: no inline script, event handler or style in any
page or htmx fragment, and the policy header on each. The pages are those of the permission matrix's
world, each requested as its program's organizer (public pages anonymously), whole and as an htmx request.
"""

from html.parser import HTMLParser

from demo.tests.test_permissions import _routes, build_world, fill, methods_of, url_kwargs
from retreat.access import PUBLIC, declared_access
from retreat.enums import Role

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: inline scripts, event handler attributes (and htmx's hx-on,
    which htmx evaluates as script), style attributes and elements, and javascript: links."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith(("on", "hx-on")):
                self.found.append(f"<{tag} {name}=…>")
            elif name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script" and "src" not in attributes and attributes.get("type") not in DATA_SCRIPT_TYPES:
            self._in_script = True
        if tag == "style":
            self.found.append("<style> element")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_inline_code_is_found():
    page = (
        '<div style="width: 3rem"><button onclick="go()">x</button><script>alert(1)</script>'
        '<script src="/static/a.js"></script><script type="application/json">{"a": 1}</script>'
        '<form hx-on::after-request="x()"></form><a href="javascript:void(0)">y</a></div>'
    )
    assert len(inline_code(page)) == 5


def test_no_page_needs_inline_code(client, db, django_capture_on_commit_callbacks):
    world = build_world("Malang")
    organizer = world["users"][Role.ORGANIZER]
    problems, checked = [], 0
    for param in _routes():
        route, name, pattern = param.values
        if "get" not in methods_of(pattern):
            continue
        url = fill(route, url_kwargs(route, name, world))
        client.logout()
        if declared_access(pattern.callback) != PUBLIC:
            client.force_login(organizer)
        for headers in ({}, {"HX-Request": "true"}):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.get(url, headers=headers)
            if not response.headers.get("Content-Type", "").startswith("text/html") or response.status_code != 200:
                continue
            checked += 1
            policy = response.headers.get("Content-Security-Policy", "")
            if "script-src 'self'" not in policy or "unsafe-inline" in policy:
                problems.append(f"{url}: Content-Security-Policy {policy!r}")
            kind = "htmx" if headers else "page"
            problems += [f"{url} ({kind}): {found}" for found in inline_code(response.content.decode())]
    assert checked > 60
    assert not problems, "\n".join(sorted(set(problems)))
