"""Shared helpers: sample sites in temporary folders, and the CLI loaded without clashing with PyPA's `build`."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "sites" / "minimal"
EPOCH = "1764000000"  # 2025-11-24, fixed so scheduling and feed dates never move


def load_cli():
    """build.py as a module named mib_build (a plain `import build` would find PyPA's package)."""
    return _load_script("mib_build", REPO / "build.py")


def load_corpus():
    """bench/corpus.py as a module (bench/ is a folder of scripts, not a package)."""
    return _load_script("bench_corpus", REPO / "bench" / "corpus.py")


def _load_script(name: str, path: Path):
    """A script of the repository loaded once as a module of that name."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def make_site(folder: Path, files: dict[str, str | bytes | None] | None = None, base: Path = MINIMAL) -> Path:
    """A copy of a sample site with the repository's templates and static files, then `files` laid over it.

    A value of None deletes that file.
    """
    site = folder / "site"
    shutil.copytree(base, site)
    shutil.copytree(REPO / "templates", site / "templates")
    shutil.copytree(REPO / "static", site / "static")
    for rel, content in (files or {}).items():
        path = site / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return site


def run_cli(site: Path, *args: str, capsys) -> tuple[int, str, str]:
    """Run build.py's main() in this process on a site; returns (exit code, stdout, stderr)."""
    cli = load_cli()
    argv = [a for a in args if a in ("build", "check")] + ["--config", str(site / "config.yaml"), "--no-search"]
    argv += [a for a in args if a not in ("build", "check")]
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch):
    """Every test builds at the same 'now'."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def site(tmp_path) -> Path:
    """A fresh copy of the minimal sample site."""
    return make_site(tmp_path)
