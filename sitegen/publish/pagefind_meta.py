"""The fragment and index files a Pagefind bundle's metadata names.

Each language's `pagefind.<hash>.pf_meta` (named in `pagefind-entry.json`) is gzip over a signature and
CBOR: an array whose second item lists the pages as [fragment hash, word count] and whose third lists
the index chunks as [first word, last word, hash] (Pagefind 1.x). Only what that needs of CBOR is read:
definite lengths, a bounded nesting; anything else is an unreadable bundle (None).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
DEPTH = 8  # Pagefind's metadata nests four deep
Item = object
HASH = re.compile(r"[A-Za-z0-9-]{1,35}_[0-9a-f]{1,64}")  # a language code, then a digest


def named_files(folder: Path) -> set[str] | None:
    """The fragment/ and index/ files (paths in the bundle) its languages' metadata names; None when it cannot be read."""
    named: set[str] = set()
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        for info in entry["languages"].values():
            meta = decoded(gzip.decompress((folder / f"pagefind.{info['hash']}.pf_meta").read_bytes()))
            named.update(f"fragment/{_hash(page[0])}.pf_fragment" for page in meta[1])
            named.update(f"index/{_hash(chunk[2])}.pf_index" for chunk in meta[2])
    except (OSError, ValueError, KeyError, IndexError, TypeError, EOFError, zlib.error):
        return None
    return named


def _hash(value: Item) -> str:
    """A file's hash as Pagefind names it (its language, '_', hexadecimal digits); ValueError for anything else."""
    if not isinstance(value, str) or not HASH.fullmatch(value):
        raise ValueError(f"not a hash: {value!r}")
    return value


def decoded(data: bytes) -> Item:
    """The CBOR item after the signature (ValueError when the bytes are not that)."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not Pagefind metadata")
    item, _end = _item(data, len(SIGNATURE), 0)
    return item


def _item(data: bytes, at: int, depth: int) -> tuple[Item, int]:
    """One CBOR item at `at` and where it ends."""
    if depth > DEPTH or at >= len(data):
        raise ValueError("nested too deep or cut short")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise ValueError("cut short")
        arg, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise ValueError("indefinite length")
    if major in (0, 7):  # an unsigned integer; a simple value or float (its bits: not needed)
        return arg, at
    if major == 1:
        return -1 - arg, at
    if major in (2, 3):
        end = at + arg
        if end > len(data):
            raise ValueError("cut short")
        return (data[at:end].decode() if major == 3 else data[at:end]), end
    if major == 6:
        raise ValueError("a tagged item")
    if arg > len(data) - at:  # every item takes at least a byte
        raise ValueError("longer than the data")
    items = []
    for _ in range(arg * 2 if major == 5 else arg):  # an array, or a map's keys and values in turn
        item, at = _item(data, at, depth + 1)
        items.append(item)
    return (dict(zip(items[::2], items[1::2], strict=True)) if major == 5 else items), at
