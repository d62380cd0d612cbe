"""The store of converted bodies: packs written once, read back body by body."""

from __future__ import annotations

import pickle

from sitegen import bodies
from sitegen.bodies import BodyStore


def test_bodies_read_back_from_their_packs(tmp_path, monkeypatch):
    """Each body comes back as written, from any pack, also after the store is pickled (open files are not)."""
    monkeypatch.setattr(bodies, "OPEN_AT_MOST", 2)
    store = BodyStore(tmp_path, "salt" * 8)
    written = {f"k{i}": f"<p>body {i} é</p>" * (i + 1) for i in range(9)}
    for start in range(0, 9, 3):  # three packs
        store.added(store.write_pack([(key, written[key]) for key in list(written)[start:start + 3]]))
    assert {key: store.read(key) for key in reversed(list(written))} == written
    assert len(store._open) <= 2
    again = pickle.loads(pickle.dumps(store))
    assert again._open == {} and {key: again.read(key) for key in written} == written
