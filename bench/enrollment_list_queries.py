"""Queries and time of the organizer's enrollment list as the program grows (10, 100, 1,000, 5,000).

The list must run the same number of queries whatever the number of participants. Runs on its own
SQLite database in a temporary folder (or DATABASE_URL if set); prints figures, asserts nothing.

    .venv/bin/python bench/enrollment_list_queries.py
"""

import statistics
import time

from setup import django_on_temp_database


def main():
    django_on_temp_database()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.force_debug_cursor = True
    from participants.tests.factories import EnrollmentFactory
    from retreat.enums import Role
    from retreat.tests.factories import MembershipFactory, ProgramFactory

    program = ProgramFactory()
    user = MembershipFactory(institution=program.organizer, role=Role.ORGANIZER).user
    client = Client()
    client.force_login(user)
    url = f"/program/{program.pk}/peserta/"
    have = 0
    print(f"{'participants':>12} {'queries':>8} {'median ms':>10}")
    baseline = None
    for size in (10, 100, 1000, 5000):
        EnrollmentFactory.create_batch(size - have, program=program)
        have = size
        client.get(url)  # warm
        reset_queries()
        response = client.get(url)
        queries = len(connection.queries)
        assert response.status_code == 200
        times = []
        for _ in range(5):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        baseline = baseline or queries
        print(f"{size:>12} {queries:>8} {statistics.median(times):>10.1f}")
    print(f"queries at 5,000 / queries at 10: {queries / baseline:.2f} (1.00 = does not grow)")


if __name__ == "__main__":
    main()
