"""The terminal registry the console files sites by (fleet/registry.py)."""

from __future__ import annotations

import pytest

from common.contract import dumps
from fleet.apply import Applier
from fleet.models import Quarantined, Terminal, Txn, make_engine
from fleet.registry import Registry, load, register


def _txn(seq: int) -> bytes:
    return dumps({"ts": 1763842000.0, "stream": "s", "seq": seq})


def test_a_terminal_moved_by_provisioning_is_filed_under_its_new_site(tmp_path):
    path = tmp_path / "terminals.json"
    register(path, "T-1", "old-hall")
    engine = make_engine(f"sqlite:///{tmp_path / 'c.sqlite'}")
    applier = Applier(engine, Registry(path))
    assert applier.apply([("kiosk/v1/old-hall/T-1/txn", _txn(1))]) == 1
    register(path, "T-1", "new-hall")  # the console runs on
    assert applier.apply([("kiosk/v1/old-hall/T-1/txn", _txn(2)),
                          ("kiosk/v1/new-hall/T-1/txn", _txn(3))]) == 1
    with engine.connect() as conn:
        sites = [r.site for r in conn.execute(Txn.__table__.select().order_by(Txn.ts, Txn.id))]
        terminal = conn.execute(Terminal.__table__.select()).first()
        kept = conn.execute(Quarantined.__table__.select()).all()
    assert sites == ["old-hall", "new-hall"] and terminal.site == "new-hall"
    assert len(kept) == 1 and "provisioned site 'new-hall'" in kept[0].reason


def test_a_broken_registry_file_keeps_the_last_good_one(tmp_path):
    path = tmp_path / "terminals.json"
    register(path, "T-1", "hall")
    reg = Registry(path)
    path.write_text("{not json")
    reg.refresh()
    assert reg.site("T-1") == "hall"


@pytest.mark.parametrize("tid", ["console", "T-X+#", "a/b", ""])
def test_register_refuses_what_is_no_terminal_id(tmp_path, tid):
    with pytest.raises(ValueError):
        register(tmp_path / "terminals.json", tid, "hall")
    assert load(tmp_path / "terminals.json") == {}
