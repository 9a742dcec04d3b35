"""No English in the Indonesian interface: the catalogue is complete (nothing untranslated or fuzzy), and the
pages of the permission matrix's world, rendered in Indonesian (each as its program's organizer, else as the
institution's admin; public pages anonymously), show no English message of the catalogue whose Indonesian
differs: a string left untranslated in a template, or a label bypassing gettext, shows up here.
"""

import ast
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from demo.tests.test_permissions import _routes, build_world, fill, methods_of, url_kwargs
from retreat.access import PUBLIC, declared_access
from retreat.enums import Role

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
# Short labels checked although they have fewer than three words (longer messages are all checked).
SHORT_LABELS = {
    "Cohort", "Cohorts", "Participants", "Participant", "Groups", "Rooms", "Agenda", "Attendance", "Evaluations",
    "Certificates", "Import spreadsheet", "Save", "Cancel", "Delete", "Search", "Preview", "Download", "Print",
    "Choose File", "Choose a file", "No file chosen", "Add a participant", "Edit", "Sessions", "Speakers",
    "Dashboard", "Settings", "Sign out", "Language",
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\{.*?\}\}|\{\w*\}|<[^>]+>")
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


@dataclass
class Entry:
    flags: set = field(default_factory=set)
    parts: dict = field(default_factory=dict)  # msgctxt, msgid, msgid_plural, msgstr, msgstr[0]…

    @property
    def msgid(self):
        return self.parts.get("msgid", "")

    @property
    def translations(self):
        return [text for key, text in self.parts.items() if key.startswith("msgstr")]


def catalogue() -> list[Entry]:
    """The entries of the Indonesian catalogue (without its header), read with a small .po parser."""
    entries, entry, key = [], Entry(), None
    for line in [*CATALOGUE.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.parts.get("msgid"):
                entries.append(entry)
            entry, key = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry.parts[key] += ast.literal_eval(line)
        else:
            key, _, text = line.partition(" ")
            entry.parts[key] = ast.literal_eval(text)
    return entries


class VisibleText(HTMLParser):
    """The text a reader sees or hears: element text outside scripts and styles, and the labelling
    attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_phrases() -> dict[str, str]:
    """English text of the catalogue that must not show in Indonesian pages: the literal parts (between
    placeholders) of messages whose translation differs, of at least three words, or a curated short label."""
    phrases = {}
    for entry in catalogue():
        if set(entry.parts) != {"msgid", "msgstr"} or entry.parts["msgstr"] in ("", entry.msgid):
            continue
        for part in PLACEHOLDER.split(entry.msgid):
            part = " ".join(part.split()).strip(" .,:;“”\"'()")
            shown = part and part not in entry.parts["msgstr"] and (len(part.split()) >= 3 or part in SHORT_LABELS)
            if shown and (part not in phrases or part == entry.msgid):
                phrases[part] = entry.msgid
    return phrases


def found_in(text: str, phrases) -> list[str]:
    return [phrase for phrase in phrases if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)]


def test_catalogue_is_complete():
    entries = catalogue()
    assert len(entries) > 1000
    untranslated = [entry.msgid for entry in entries if not all(entry.translations)]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_english_is_found():
    phrases = english_phrases()
    assert "Import spreadsheet" in phrases
    page = '<h1>Peserta</h1><a class="btn">Import spreadsheet</a><script>var a = "Choose a file";</script>'
    assert found_in(visible_text(page), phrases) == ["Import spreadsheet"]
    assert not found_in(visible_text("<p>Impor dari spreadsheet</p>"), phrases)


@pytest.mark.django_db
def test_pages_show_no_english(client, django_capture_on_commit_callbacks):
    world = build_world("Malang")
    organizer, admin = world["users"][Role.ORGANIZER], world["users"][Role.ADMIN]
    phrases = english_phrases()
    problems, checked = [], set()
    for param in _routes():
        route, name, pattern = param.values
        if "get" not in methods_of(pattern):
            continue
        url = fill(route, url_kwargs(route, name, world))
        for user in (None,) if declared_access(pattern.callback) == PUBLIC else (organizer, admin):
            client.logout()
            if user:
                client.force_login(user)
            with django_capture_on_commit_callbacks(execute=True):
                response = client.get(url, headers={"Accept-Language": "id"})
            if response.status_code != 200:
                continue
            if response.headers.get("Content-Type", "").startswith("text/html"):
                checked.add(name)
                text = visible_text(response.content.decode())
                problems += [f"{url}: “{phrase}” (msgid {phrases[phrase]!r})" for phrase in found_in(text, phrases)]
            break
    main_pages = {
        "retreat:dashboard", "retreat:program_detail", "retreat:program_update", "participants:enrollment_list",
        "participants:enrollment_update", "participants:import_upload", "participants:groups", "participants:rooms",
        "retreat:cohorts", "sessions:agenda", "sessions:session_update", "attendance:home", "evaluations:home",
        "certificates:home", "certificates:design", "retreat:institution", "portal:personal_page", "portal:plan_report",
    }  # fmt: skip
    assert len(checked) > 50
    assert not problems, "\n".join(sorted(set(problems)))
    assert main_pages <= checked, main_pages - checked
