"""One small broken site per kind of editor mistake, each with its exact expected messages.

Each case in tests/sites/invalid/<case>/ holds only the files laid over the minimal sample site
(and `_delete.txt` naming files to remove); `expected.txt` is the exact stderr of the build.
Regenerate after a deliberate change of wording with:  UPDATE_EXPECTED=1 pytest tests/test_invalid_sites.py
and review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_site, run_cli, tree

CASES = Path(__file__).parent / "sites" / "invalid"


def overlay(case: Path) -> dict[str, bytes | None]:
    """The files a case lays over the minimal site."""
    files: dict[str, bytes | None] = {}
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case).as_posix()
        if path.is_file() and rel not in ("expected.txt", "_delete.txt"):
            files[rel] = path.read_bytes()
    delete = case / "_delete.txt"
    if delete.is_file():
        files.update({line.strip(): None for line in delete.read_text().splitlines() if line.strip()})
    return files


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_invalid_site(case, tmp_path, capsys):
    """The build prints exactly the expected problems, exits 1 on errors, and leaves public/ as it was."""
    site = make_site(tmp_path, overlay(CASES / case))
    before = tree(site / "public")
    code, _out, err = run_cli(site, capsys=capsys)
    expected_file = CASES / case / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text(err)
    expected = expected_file.read_text()
    assert err == expected
    has_errors = " error: " in expected or expected.startswith("build failed")
    assert code == (1 if has_errors else 0)
    if has_errors:
        assert tree(site / "public") == before
    assert "Traceback" not in err
