"""The import, top to bottom: read the old site, name each entry, rewrite it, check its old addresses, write what is new."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...checks.names import check_name
from ...model.config import Config
from ...model.paths import inside
from ...model.schemas import MAX_TAGS
from ...model.yamlio import parse_yaml
from ...pages.outputs import OLD_URL
from ...problems import Problems
from ...publish.output import safe_relative
from . import hugo, jekyll
from .body import rewrite
from .entries import Entry, site_front
from .fieldmap import map_fields
from .files import planned_copies
from .language import reads_as
from .naming import name_all

READERS = {"jekyll": jekyll.read_site, "hugo": hugo.read_site}


@dataclass
class Report:
    """What an import did: a line per file, the problems (what is left to do by hand), and the counts."""

    lines: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    written: int = 0
    unchanged: int = 0


def import_site(generator: str, source: Path, root: Path, config: Config, mapping: dict, pages: bool, dry_run: bool) -> Report:
    """Bring the posts (and pages) of a Jekyll or Hugo site into the site at `root`."""
    report = Report()
    entries = [e for e in READERS[generator](source, pages, report.problems) if _language_known(e, config, report.problems)]
    name_all(entries, config, _words(root, config), report.problems)
    static = source / "static" if generator == "hugo" else source
    resolve = _resolver(sorted(entries, key=lambda e: e.lang != config.default_language), static)
    done: set[str] = set()  # a bundle's files, named by each of its translations, are written once
    for entry in entries:
        todo = Problems()
        text, copies = _converted(entry, mapping, resolve, static, todo)
        if not _write(root, entry.target, text.encode(), entry, dry_run, report):
            continue  # what is left to do in a file that was not written is no one's
        report.lines.append(f"{entry.shown} -> {entry.target}: {'; '.join(entry.notes) or 'no change needed'}")
        report.problems += todo
        for dest, path in copies.items():
            if dest not in done:
                done.add(dest)
                _write(root, dest, path.read_bytes(), entry, dry_run, report)
    return report


def _language_known(entry: Entry, config: Config, problems: Problems) -> bool:
    """Whether the entry's language is one of the site's (an entry that declares none is in the default language)."""
    entry.lang = entry.lang or config.default_language
    if entry.lang not in config.languages:
        problems.error(entry.shown, entry.front.line("lang"), f"its language '{entry.lang}' is not one of this site's ({', '.join(config.langs)}): not imported",
                       "add the language to config.yaml, or change the post's language")
        return False
    found = reads_as(entry.front.body)
    if found and found != entry.lang:
        problems.warning(entry.shown, entry.front.line("lang"), f"declared '{entry.lang}', but its text reads as '{found}': imported as '{entry.lang}'",
                         "check its language, and move it if it is wrong")
    return True


def _words(root: Path, config: Config) -> dict[str, dict[str, str]]:
    """Each language's section names (`address_news: actualites`), from the site's strings files."""
    found = {}
    for lang in config.languages:
        path = root / "templates" / "i18n" / f"{lang}.yaml"
        doc = parse_yaml(path.read_text(encoding="utf-8"), path.name, Problems()) if path.is_file() else None
        data = doc.data if doc and isinstance(doc.data, dict) else {}
        found[lang] = {"news": data["address_news"]} if isinstance(data.get("address_news"), str) else {}
    return found


def _resolver(entries: list[Entry], static: Path):
    """The function giving the new address of a post or page named as the old site named it (or of a file, `{% link assets/x.pdf %}`)."""
    named: dict[str, Entry] = {}
    for entry in entries:  # the default language's first: a name shared by translations leads to the original
        for ref in entry.refs:
            named.setdefault(ref.strip("/"), entry)
        for old in [entry.address, *entry.old]:  # "@/2024/01/15/x.html": an address, old or new, as links in bodies write it
            named.setdefault("@" + old, entry)

    def resolve(name: str) -> str | None:
        """The new address of the post or page the old site called `name`, or None."""
        wanted = name.strip() if name.startswith("@") else name.strip().strip("/")
        entry = named.get(wanted) or (named.get(wanted.rstrip("/") + "/") if wanted.startswith("@") else None)
        if entry is None and not wanted.startswith("@"):  # Hugo's refs may be relative to the page's section: a name ending the same way, when only one does
            found = {id(e): e for ref, e in named.items() if ref.endswith("/" + wanted)}
            entry = next(iter(found.values())) if len(found) == 1 else None
        if entry is None and _is_file(static, wanted):
            return "/" + wanted  # copied to static/ with the files the text names
        return entry.address if entry else None

    return resolve


def _is_file(static: Path, name: str) -> bool:
    """Whether a name is a file of the old site other than a post or page."""
    return bool(name) and safe_relative(name) and Path(name).suffix.lower() not in (".md", ".markdown", ".html", "") \
        and (static / name).is_file()


def _converted(entry: Entry, mapping: dict, resolve, static: Path, problems: Problems) -> tuple[str, dict[str, Path]]:
    """The file's new text and the files to copy with it; what is left to do is reported at its line in the new file."""
    entry.old = _kept_aliases(entry, problems)
    data = {k: v for k, v in entry.front.data.items() if k not in ("tags", "categories", "category")}
    mapped, notes = map_fields(data, mapping, entry.kind)
    entry.notes += notes
    front = site_front(entry, mapped, entry.kind)
    head = "".join(_yaml_line(key, value) for key, value in front.items())
    body = rewrite(entry.front.body, head.count("\n") + 3, resolve)
    entry.notes += body.changed
    for line, todo in body.todo:
        problems.warning(entry.target, line, todo)
    image = front.get("image")
    if image and not front.get("image_alt"):
        problems.warning(entry.target, _line_of(head, "image"), "its image has no alt text: the build will refuse it",
                         "add image_alt: what the picture shows")
    if len(front.get("tags", ())) > MAX_TAGS:
        problems.warning(entry.target, _line_of(head, "tags"), f"{len(front['tags'])} tags, more than the {MAX_TAGS} an article may have",
                         f"keep the {MAX_TAGS} that matter most")
    files = body.files + ([(0, image)] if isinstance(image, str) else [])
    copies = planned_copies(entry, files, static, problems)
    return f"---\n{head}---\n{body.text}", copies


def _yaml_line(key: str, value) -> str:
    """One front matter field as YAML: a list or mapping on its line (`tags: [a, b]`) unless it nests deeper."""
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10_000,
                          default_flow_style=None if isinstance(value, list | dict) else False)


def _line_of(head: str, key: str) -> int:
    """The line of a top-level key in the new file (its front matter starts on line 2)."""
    return next((n for n, line in enumerate(head.split("\n"), start=2) if line.startswith(f"{key}:")), 1)


def _kept_aliases(entry: Entry, problems: Problems) -> list[str]:
    """The old addresses that can redirect: not the new address itself, nothing the host files would misread."""
    kept = []
    for old in entry.old:
        reason = (check_name(old) or "").replace("the name ", "it ", 1) or ("" if _plain(old) else "it is not a plain path (letters, digits, '-', '_', '.', '~' and '@' between slashes)")
        if reason:
            problems.warning(entry.shown, 0, f"the old address {old!r} cannot redirect: {reason}", "add a redirect for it on the server by hand")
        elif old.rstrip("/") != entry.address.rstrip("/"):
            kept.append(old)
    if kept:
        entry.notes.append(f"old address{'es' * (len(kept) > 1)} kept as aliases: {', '.join(kept)}")
    return kept


def _plain(address: str) -> bool:
    """Whether the build takes an old address as an alias: a path of plain segments, none empty or hidden."""
    segments = address.strip("/").split("/")
    return bool(OLD_URL.fullmatch(address)) and address.startswith("/") and not any(not s or s.startswith(".") for s in segments)


def _write(root: Path, dest: str, data: bytes, entry: Entry, dry_run: bool, report: Report) -> bool:
    """Write one file unless it exists (the same bytes count as done, other bytes are never overwritten); False when it is not there."""
    path = root / dest
    if path.is_symlink() or path.exists():
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            report.unchanged += 1
            return True
        report.problems.error(dest, 0, f"the file exists and differs from {entry.shown}: not overwritten", "move it away and import again, or merge by hand")
        return False
    if not inside(_existing(path.parent), root):
        report.problems.error(dest, 0, "its folder is a link to outside the site: not written", "replace the link by a folder")
        return False
    report.written += 1
    if not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as out:
            out.write(data)
    return True


def _existing(path: Path) -> Path:
    """The nearest folder of a path that exists (where links would take a new file)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
