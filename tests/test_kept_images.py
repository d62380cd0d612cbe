"""Photos' copies kept in .cache/images/ by their content: a new graph (another engine, a removed graph) takes them from
there instead of encoding again; an edited photo is encoded anew; what a new graph no longer uses is deleted; an entry
that is not a plain file, or a cache that cannot be written, only means encoding again."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image
from support import build, load_cli, make_site, tree

load_cli()
from sitegen.publish import derivatives  # noqa: E402 - after load_cli put the repository on sys.path

STRAY = "0" * 40 + ".bin"  # an entry no build of this site uses


@pytest.fixture
def encoded(monkeypatch) -> list[tuple[int, str]]:
    """The (width, format) of every copy this process encodes (builds with jobs=1 encode here)."""
    calls: list[tuple[int, str]] = []
    real = derivatives.encode

    def counting(data, width, fmt, limits):
        calls.append((width, fmt))
        return real(data, width, fmt, limits)

    monkeypatch.setattr(derivatives, "encode", counting)
    return calls


def forget_graph(site) -> None:
    """Remove the build graph (as another engine or a removed cache starts a new one); .cache/images stays."""
    for path in (site / ".cache").glob("graph-*"):
        if path.is_file():
            path.unlink()
        else:
            for inner in sorted(path.rglob("*"), reverse=True):
                inner.rmdir() if inner.is_dir() else inner.unlink()
            path.rmdir()


def entries(site) -> set[str]:
    return {path.name for path in (site / ".cache/images").iterdir()}


def test_a_new_graph_takes_the_copies_from_the_cache_and_publishes_the_same_bytes(tmp_path, encoded):
    site = make_site(tmp_path, warm=False)
    build(site, jobs=1)
    first = tree(site / "public")
    assert len(encoded) >= 10 and len(entries(site)) == len(encoded), encoded
    encoded.clear()
    forget_graph(site)
    build(site, jobs=1)
    assert encoded == []
    assert tree(site / "public") == first


def test_an_edited_photo_is_encoded_again_and_only_it(tmp_path, encoded):
    site = make_site(tmp_path, warm=False)
    build(site, jobs=1)
    before = entries(site)
    logo = site / "static/images/apple-touch-icon.png"
    with Image.open(logo) as image:
        size = image.size
    out = io.BytesIO()
    Image.new("RGB", size, "#0b4f6c").save(out, "PNG")
    logo.write_bytes(out.getvalue())
    encoded.clear()
    forget_graph(site)  # a new graph, so that every copy is asked for: only the edited photo's are encoded
    build(site, jobs=1)
    assert encoded and {width for width, _ in encoded} <= {size[0], 180}, encoded
    made = tree(site / "public")["images/apple-touch-icon.180.webp"]
    with Image.open(io.BytesIO(made)) as image:
        assert image.convert("RGB").getpixel((5, 5)) == (11, 79, 108)
    assert len(entries(site) - before) == len(encoded)


def test_a_new_graph_deletes_the_entries_it_did_not_use_and_an_edit_deletes_none(tmp_path):
    site = make_site(tmp_path, warm=False)
    build(site, jobs=1)
    used = entries(site)
    stray = site / ".cache/images" / STRAY
    stray.write_bytes(b"old")
    for name in [*used, STRAY]:
        os.utime(site / ".cache/images" / name, (1_000_000_000, 1_000_000_000))  # 2001: long unused
    (site / "content/news/first-award.md").write_text((site / "content/news/first-award.md").read_text() + "\nMore.\n")
    build(site, jobs=1)
    assert entries(site) == used | {STRAY}, "a build that kept its graph deleted kept copies"
    forget_graph(site)
    build(site, jobs=1)
    assert entries(site) == used


@pytest.mark.parametrize("kind", ["link", "folder"])
def test_an_entry_that_is_not_a_plain_file_is_not_used(tmp_path, encoded, kind):
    site = make_site(tmp_path, warm=False)
    build(site, jobs=1)
    first = tree(site / "public")
    forget_graph(site)
    (tmp_path / "elsewhere").write_bytes(b"not an image")
    for entry in (site / ".cache/images").iterdir():
        entry.unlink()
        entry.symlink_to(tmp_path / "elsewhere") if kind == "link" else entry.mkdir()
    encoded.clear()
    build(site, jobs=1)
    assert len(encoded) >= 10
    assert tree(site / "public") == first


def test_a_cache_that_cannot_be_written_only_means_encoding_again(tmp_path, encoded):
    site = make_site(tmp_path, warm=False)
    (site / ".cache").mkdir()
    (site / ".cache/images").write_text("a file where the folder would be")
    result = build(site, jobs=1)
    assert list(result.problems) == []
    first, count = tree(site / "public"), len(encoded)
    assert count >= 10
    forget_graph(site)
    build(site, jobs=1)
    assert len(encoded) == 2 * count and tree(site / "public") == first
