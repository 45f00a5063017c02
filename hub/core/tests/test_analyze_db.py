import pytest
from django.core.management import call_command
from django.db import connection

from hub.partnerships.factories import make_partnership


# ANALYZE TABLE commits implicitly on MariaDB: a transactional test flushes what it made afterwards.
@pytest.mark.django_db(transaction=True)
def test_analyze_db_collects_statistics(capsys):
    make_partnership()
    call_command("analyze_db")
    assert f"Statistics refreshed ({connection.vendor})" in capsys.readouterr().out
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'partnerships_partnership'"
            )
            assert cursor.fetchone()[0] > 0
