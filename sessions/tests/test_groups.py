"""Sessions planned for discussion groups keep those groups: forming fewer groups is refused."""

import datetime as dt

from django.urls import reverse

from participants.models import DiscussionGroup
from participants.tests.factories import EnrollmentFactory
from sessions.models import Session


def test_fewer_groups_are_refused_while_sessions_target_the_groups_that_would_go(organizer_client, program):
    EnrollmentFactory.create_batch(12, program=program)
    url = reverse("participants:groups_form", kwargs={"program_pk": program.pk})
    organizer_client.post(url, {"group_count": 4})
    start = dt.datetime(2025, 5, 16, 9, tzinfo=program.tzinfo)
    session = Session.objects.create(program=program, kind="diskusi", title="Diskusi Kelompok 4", starts_at=start,
                                     ends_at=start + dt.timedelta(hours=1))  # fmt: skip
    session.groups.set([DiscussionGroup.objects.get(program=program, number=4)])
    page = organizer_client.post(url, {"group_count": 3}).content.decode()
    assert "Diskusi Kelompok 4" in page
    assert DiscussionGroup.objects.filter(program=program).count() == 4
    assert list(session.groups.values_list("number", flat=True)) == [4]
