import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo retreats, seeded once for the module's tests that only read them; rolled back after."""
    from demo.seeding import seed_demo

    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo()
        yield
        transaction.set_rollback(True)
