"""Which translations are older than their original's content: from git history, else from digests kept in .cache/.

With git (the site's folder in a work tree with commits), one `git log` lists every commit that
touched a content file, newest first; a translation is outdated when its original was changed by
a later commit, or has uncommitted changes (changes "now"). What changed is found by comparing the
original as it was at the translation's last commit (one `git cat-file --batch` for them all) with
the original in the working tree. A translation with uncommitted changes counts as changed now,
so it is never outdated.

Without git, `check` keeps in .cache/translations.json, for each translation, a digest of its file
and digests of its original's title, summary and body, recorded when it first sees the translation
as it is; a later check reports the parts whose digests differ, since the day it first saw them differ.

Only the parts a translator translates are compared: the front matter's `title` and `summary` and
the body (line endings and surrounding blank lines aside).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..atomic import write_atomically
from ..graph.git import run_git
from ..model.sources import split_front_matter
from ..model.yamlio import parse_yaml
from ..problems import Problems

PARTS = ("title", "summary", "body")
RECORD = "translations.json"  # in .cache/


@dataclass(frozen=True)
class Outdated:
    """What changed in a translation's original since the translation was last changed, and when."""

    parts: tuple[str, ...]  # among PARTS, in that order
    since: date  # the day of the original's first change after the translation's last one
    translated: date  # the day the translation was last changed


@dataclass(frozen=True)
class History:
    """The commits that touched content files, newest first, and the files changed since the last commit."""

    commits: tuple[tuple[str, int], ...]  # (commit, its time)
    touched: dict[str, tuple[int, ...]]  # path (from the site's folder) -> its commits' indexes, newest first
    dirty: frozenset[str]  # paths with uncommitted changes, untracked ones included


def content_parts(text: str | None) -> dict[str, str | None]:
    """The title, summary and body of a Markdown file's text; None for what it does not have."""
    parts: dict[str, str | None] = dict.fromkeys(PARTS)
    split = split_front_matter(text.replace("\r\n", "\n"), "", Problems()) if text else None
    if split is None:
        return parts
    front, _line, body, _body_line = split
    doc = parse_yaml(front, "", Problems())
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    for name in ("title", "summary"):
        parts[name] = None if data.get(name) is None else str(data[name]).strip()
    parts["body"] = body.strip()
    return parts


def changed_parts(before: str | None, after: str | None) -> tuple[str, ...]:
    """The parts (title, summary, body) that differ between two versions of a Markdown file."""
    old, new = content_parts(before), content_parts(after)
    return tuple(name for name in PARTS if old[name] != new[name])


def day_of(stamp: float, timezone: str) -> date:
    """The day of a timestamp in the site's time zone."""
    return datetime.fromtimestamp(stamp, ZoneInfo(timezone)).date()


def outdated(root: Path, cache: Path, pairs: list[tuple[str, str]], today: date, timezone: str) -> dict[str, Outdated]:
    """The outdated translations among (translation, original) pairs of paths, by translation: from git, else digests."""
    history = read_history(root)
    if history is not None:
        return outdated_in_git(root, history, pairs, today, timezone)
    return outdated_by_digests(root, cache / RECORD, pairs, today)


# -- with git ------------------------------------------------------------------------------------------


def read_history(root: Path) -> History | None:
    """The content files' history from git, or None without git, outside a work tree or before any commit."""
    prefix = run_git(root, "rev-parse", "--show-prefix")
    log = run_git(root, "log", "-z", "--date-order", "--relative", "--name-only", "--format=%x01%H %ct", "--", "content")
    if prefix is None or log is None:
        return None
    commits, touched = parse_log(log.decode("utf-8", "surrogateescape"))
    if not commits:
        return None
    status = run_git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", "content") or b""
    dirty = parse_status(status.decode("utf-8", "surrogateescape"), prefix.decode("utf-8", "surrogateescape").strip())
    return History(commits, touched, dirty)


def parse_log(text: str) -> tuple[tuple[tuple[str, int], ...], dict[str, tuple[int, ...]]]:
    """Commits and the paths each touched, from `git log -z --name-only --format=%x01%H %ct`."""
    commits: list[tuple[str, int]] = []
    touched: dict[str, list[int]] = {}
    for record in text.split("\x01")[1:]:
        header, *names = record.split("\0")
        commit, stamp = header.split()
        for name in names:
            if name.lstrip("\n"):
                touched.setdefault(name.lstrip("\n"), []).append(len(commits))
        commits.append((commit, int(stamp)))
    return tuple(commits), {path: tuple(indexes) for path, indexes in touched.items()}


def parse_status(text: str, prefix: str) -> frozenset[str]:
    """The paths (from the site's folder) in `git status --porcelain -z` output, whose paths start with `prefix`."""
    tokens = iter(text.split("\0"))
    paths = set()
    for token in tokens:
        if len(token) > 3:
            paths.add(token[3:].removeprefix(prefix))
            if "R" in token[:2] or "C" in token[:2]:
                next(tokens, None)  # the renamed or copied file's former path
    return frozenset(paths)


def outdated_in_git(root: Path, history: History, pairs: list[tuple[str, str]], today: date, timezone: str) -> dict[str, Outdated]:
    """The outdated translations, from the history: the original changed after the translation's last commit."""
    due = {}
    for translation, original in pairs:
        if translation in history.dirty or translation not in history.touched:
            continue  # changed now: up to date
        last = history.touched[translation][0]
        later = [index for index in history.touched.get(original, ()) if index < last]
        if later or original in history.dirty:
            since = day_of(history.commits[later[-1]][1], timezone) if later else today
            due[translation] = (original, last, since)
    before = blobs(root, [f"{history.commits[last][0]}:./{original}" for original, last, _since in due.values()])
    found = {}
    for (translation, (original, last, since)), old in zip(due.items(), before, strict=True):
        parts = changed_parts(old, read_text(root / original))
        if parts:
            found[translation] = Outdated(parts, since, day_of(history.commits[last][1], timezone))
    return found


def blobs(root: Path, names: list[str]) -> list[str | None]:
    """The texts of `commit:./path` objects, read by one `git cat-file --batch`; None for a missing one."""
    if not names:
        return []
    out = run_git(root, "cat-file", "--batch", stdin="".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape"))
    texts: list[str | None] = []
    at = 0
    for _name in names:
        text, at = _next_blob(out or b"", at)
        texts.append(text)
    return texts


def _next_blob(out: bytes, at: int) -> tuple[str | None, int]:
    """The blob at `at` in `git cat-file --batch` output (None for "<name> missing"), and where the next one starts."""
    end = out.find(b"\n", at)
    if end < 0:
        return None, len(out)
    header = out[at:end].split()
    if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
        return None, end + 1
    size = int(header[2])
    return out[end + 1 : end + 1 + size].decode("utf-8", "replace"), end + 1 + size + 1


def read_text(path: Path) -> str | None:
    """A file's text, or None when it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


# -- without git: digests ------------------------------------------------------------------------------


def digest(text: str | None) -> str | None:
    """A short digest of a text (None for none)."""
    return None if text is None else hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def outdated_by_digests(root: Path, record_path: Path, pairs: list[tuple[str, str]], today: date) -> dict[str, Outdated]:
    """The outdated translations, from the digests kept in `record_path` (which this updates)."""
    record = load_record(record_path)
    kept, found = {}, {}
    for translation, original in pairs:
        entry = dict(record.get(translation) or {})
        own = digest(read_text(root / translation))
        now = {name: digest(text) for name, text in content_parts(read_text(root / original)).items()}
        if entry.get("own") != own or entry.get("original") != original or not _well_formed(entry):
            entry = {"own": own, "original": original, "parts": now, "changed": today.isoformat()}
        parts = tuple(name for name in PARTS if entry["parts"].get(name) != now[name])
        if parts:
            entry.setdefault("since", today.isoformat())
            found[translation] = Outdated(parts, date.fromisoformat(entry["since"]), date.fromisoformat(entry["changed"]))
        else:
            entry.pop("since", None)
        kept[translation] = entry
    if kept != record:
        save_record(record_path, kept)
    return found


def _well_formed(entry: dict) -> bool:
    """True when a kept entry has its digests and valid days (a damaged file is recorded afresh)."""
    try:
        return isinstance(entry["parts"], dict) and all(date.fromisoformat(entry[key]) for key in ("changed", *("since",) * ("since" in entry)))
    except (KeyError, TypeError, ValueError):
        return False


def load_record(path: Path) -> dict:
    """The digests kept by the last check ({} when there are none, or they cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("translations", {}) if isinstance(data, dict) and data.get("version") == 1 else {}


def save_record(path: Path, translations: dict) -> None:
    """Keep the digests for the next check, replacing the file in one move (left as it was when that fails)."""
    text = json.dumps({"version": 1, "translations": translations}, indent=1, sort_keys=True) + "\n"
    with contextlib.suppress(OSError):
        write_atomically(path, text.encode("utf-8"))
