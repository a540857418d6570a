"""An existing console database gains the columns added since it was made (both kinds)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from fleet.models import make_engine


def test_an_older_database_gets_the_new_columns_and_keeps_its_rows(db_url):
    engine = make_engine(db_url)
    with engine.begin() as conn:  # as a console from before contract v1.1 left it
        conn.execute(text("ALTER TABLE alarms DROP COLUMN detail_zh"))
        conn.execute(text("ALTER TABLE txns DROP COLUMN kind"))
        conn.execute(text("INSERT INTO alarms (terminal, site, key, severity, detail, action,"
                          " raised_at, raised_seq, updated) VALUES ('T1', 's', 'device.printer',"
                          " 'yellow', 'paper out', 'clear', 1, 1, 1)"))
        conn.execute(text("INSERT INTO txns (terminal, site, day, ts, service, outcome,"
                          " duration_s, rating, printed) VALUES ('T1', 's', '2026-11-22', 1,"
                          " 'ss_insurance', 'rated', 60, 5, true)"))
    engine.dispose()
    engine = make_engine(db_url)  # a newer console starts on it
    found = inspect(engine)
    assert "detail_zh" in {c["name"] for c in found.get_columns("alarms")}
    assert "kind" in {c["name"] for c in found.get_columns("txns")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT detail, detail_zh FROM alarms")).one() == ("paper out",
                                                                                    "")
        assert conn.execute(text("SELECT kind FROM txns")).scalar() == "session"
    make_engine(db_url).dispose()  # and a third start changes nothing
    engine.dispose()
