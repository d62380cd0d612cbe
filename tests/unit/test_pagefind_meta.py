"""What a Pagefind bundle's metadata names: read from Pagefind's own output, and refused when it is not what Pagefind writes."""

from __future__ import annotations

import gzip
import json

import pytest

from sitegen.publish import pagefind_meta, search_bundle

PAGE = '<html lang="{lang}"><body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>'


def bundle_of(tmp_path, pages: dict[str, str]):
    """Pagefind run over a few pages ({path: HTML}); its output folder."""
    site, out = tmp_path / "site", tmp_path / "out"
    for path, html in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(html, encoding="utf-8")
    assert search_bundle._index(site, out) == ""
    return out


def test_the_names_are_the_fragments_and_index_chunks_pagefind_wrote(tmp_path):
    pages = {f"{lang}/{n}/index.html": PAGE.format(lang=lang, title=f"Page {n}", text=f"lupus sepsis {n} " * (n + 1))
             for lang in ("en", "fr") for n in range(5)}
    out = bundle_of(tmp_path, pages)
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.parent.name in ("fragment", "index")}
    assert sum(name.startswith("fragment/") for name in written) == 10
    assert pagefind_meta.named_files(out) == written


def meta_folder(tmp_path, data: bytes):
    """A bundle whose one language's metadata holds these bytes (gzipped)."""
    (tmp_path / "pagefind-entry.json").write_text(json.dumps({"languages": {"en": {"hash": "en_1"}}}))
    (tmp_path / "pagefind.en_1.pf_meta").write_bytes(gzip.compress(data))
    return tmp_path


def text(s: str) -> bytes:
    """A short CBOR text string."""
    return bytes([0x60 | len(s)]) + s.encode()


GOOD = pagefind_meta.SIGNATURE + b"\x83" + text("1.5.2") + b"\x81\x82" + text("en_abc") + b"\x05" + b"\x81\x83" + text("a") + text("b") + text("en_def")


def test_a_hand_made_metadata_names_its_page_and_chunk(tmp_path):
    assert pagefind_meta.named_files(meta_folder(tmp_path, GOOD)) == {"fragment/en_abc.pf_fragment", "index/en_def.pf_index"}


@pytest.mark.parametrize("data", [
    GOOD[:-3],  # cut short
    b"not_pagefind" + GOOD[len(pagefind_meta.SIGNATURE):],  # another signature
    pagefind_meta.SIGNATURE + b"\x9f" + text("x") + b"\xff",  # an indefinite length
    pagefind_meta.SIGNATURE + b"\x81" * 40 + b"\x00",  # nested 40 deep
    pagefind_meta.SIGNATURE + b"\x9b" + b"\xff" * 8,  # an array of 2^64 - 1 items in 9 bytes
    pagefind_meta.SIGNATURE + b"\xc1\x00",  # a tagged item
    pagefind_meta.SIGNATURE + b"\x83" + text("v") + b"\x81\x82" + text("../../x") + b"\x01\x80",  # a hash that is a path
    pagefind_meta.SIGNATURE + b"\x83" + text("v") + b"\x81\x82\x01\x01\x80",  # a hash that is a number
    pagefind_meta.SIGNATURE + b"\x83" + text("v") + b"\x81\x82\x78\x05\xff\xfe\xfd\xfc\xfb\x01\x80",  # a hash that is not UTF-8
])
def test_metadata_that_is_not_what_pagefind_writes_is_unreadable(tmp_path, data):
    assert pagefind_meta.named_files(meta_folder(tmp_path, data)) is None


def test_a_bundle_without_its_entry_or_metadata_is_unreadable(tmp_path):
    assert pagefind_meta.named_files(tmp_path) is None
    (tmp_path / "pagefind-entry.json").write_text(json.dumps({"languages": {"en": {"hash": "en_1"}}}))
    assert pagefind_meta.named_files(tmp_path) is None
    (tmp_path / "pagefind.en_1.pf_meta").write_bytes(b"not gzip")
    assert pagefind_meta.named_files(tmp_path) is None
