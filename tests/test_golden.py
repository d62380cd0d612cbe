"""The minimal sample site, built, compared file by file with the committed expected output.

Regenerate after a deliberate change (templates, CSS, engine output) with
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review `git diff tests/golden` before committing.
"""

from __future__ import annotations

import difflib
import os
import shutil

from support import REPO, run_cli, tree

GOLDEN = REPO / "tests" / "golden" / "minimal"


def test_minimal_site_matches_golden(site):
    """Every file of the built sample site is byte-identical to the golden copy."""
    run = run_cli(site)
    assert (run.returncode, run.stderr) == (0, ""), run
    built = tree(site / "public")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(site / "public", GOLDEN)
    expected = tree(GOLDEN)
    assert sorted(built) == sorted(expected), "file lists differ"
    for path in sorted(expected):
        if built[path] != expected[path]:
            diff = _diff(expected[path], built[path], path)
            raise AssertionError(f"{path} differs from the golden copy:\n{diff}")


def _diff(old: bytes, new: bytes, name: str) -> str:
    """A unified diff of two text files (or a note for binary ones)."""
    try:
        a, b = old.decode().splitlines(), new.decode().splitlines()
    except UnicodeDecodeError:
        return "(binary file)"
    return "\n".join(list(difflib.unified_diff(a, b, f"golden/{name}", f"built/{name}", lineterm=""))[:60])


def test_two_builds_are_byte_identical(site, tmp_path):
    """Same input, same bytes: two builds into two folders give identical trees."""
    assert run_cli(site, "--output", str(tmp_path / "a")).returncode == 0
    assert run_cli(site, "--output", str(tmp_path / "b")).returncode == 0
    assert len(tree(tmp_path / "a")) > 50 and tree(tmp_path / "a") == tree(tmp_path / "b")
