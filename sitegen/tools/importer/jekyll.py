"""A Jekyll site's posts (`_posts/`, at any depth, in any subfolder) and pages, with their dates and old addresses."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ...problems import Problems
from .entries import Entry, declared_lang, merged_tags, translation_key
from .reading import date_text, read_config, read_front, read_limited

POST_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)")
MARKDOWN = (".md", ".markdown", ".mkd", ".mkdn")
SKIPPED_FOLDERS = {"_site", "_drafts", "node_modules", "vendor", ".git", ".jekyll-cache", ".sass-cache", "_includes", "_layouts",
                   "_data", "_sass", "assets"}
STYLES = {"date": "/:categories/:year/:month/:day/:title:output_ext", "pretty": "/:categories/:year/:month/:day/:title/",
          "ordinal": "/:categories/:year/:y_day/:title:output_ext", "none": "/:categories/:title:output_ext"}


def read_site(source: Path, pages: bool, problems: Problems) -> list[Entry]:
    """Every post (and page, when asked) of a Jekyll site."""
    config = read_config(source / "_config.yml", problems) or read_config(source / "_config.yaml", problems)
    pattern = config.get("permalink") if isinstance(config.get("permalink"), str) else "date"
    pattern = STYLES.get(pattern, pattern)
    default = declared_lang(config)  # `lang: fr` in _config.yml: the language of every post that declares none
    found = []
    for path in _markdown_files(source):  # each read with read_limited(..., root=source): no link leads out
        rel = path.relative_to(source)
        if "_posts" in rel.parts:
            found.append(_post(source, rel, pattern, problems, default))
        elif pages and not any(part.startswith("_") for part in rel.parts) and rel.name.lower() != "readme.md":
            found.append(_page(source, rel, pattern, problems, default))
    for path in sorted(source.rglob("*.htm*")):
        if "_posts" in path.relative_to(source).parts and path.suffix.lower() in (".html", ".htm"):
            problems.warning(path.relative_to(source).as_posix(), 0, "an HTML post: not imported (bring its text in by hand, as Markdown)")
    return [entry for entry in found if entry]


def _markdown_files(source: Path) -> list[Path]:
    """Markdown files of the site, in a stable order, outside the folders Jekyll builds nothing from."""
    found = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if path.suffix.lower() in MARKDOWN and (path.is_file() or path.is_symlink()):
            found.append(path)
    return found


def _post(source: Path, rel: Path, pattern: str, problems: Problems, default: str | None) -> Entry | None:
    """One post: its date from the front matter, else from its file name (a date that does not exist is refused)."""
    shown = rel.as_posix()
    match = POST_NAME.fullmatch(Path(rel.name).stem)
    if not match:
        problems.warning(shown, 0, "not a post's name (YYYY-MM-DD-title.md): Jekyll does not publish it, so it is not imported")
        return None
    year, month, day, title = match.groups()
    try:
        named = date(int(year), int(month), int(day))
    except ValueError:
        problems.error(shown, 0, f"the date {year}-{month}-{day} in the file name does not exist: not imported",
                       "rename the file with the real date")
        return None
    front = _front(source / rel, shown, problems, source)
    if front is None:
        return None
    notes: list[str] = []
    when = date_text(front.data.get("date")) if "date" in front.data else None
    if "date" in front.data and when is None:
        problems.error(shown, front.line("date"), f"the date {front.data['date']!r} is not a date: not imported", "write it like 2024-01-15")
        return None
    if when is None:
        when = named.isoformat()
        notes.append("date taken from the file name")
    tags = merged_tags(front.data, True, notes)
    categories = _categories(rel, front.data)
    lang = declared_lang(front.data) or default
    slug = _slugified(str(front.data.get("slug") or title))
    values = {"year": year, "month": month, "day": day, "title": slug, "slug": slug.lower(), "categories": "/".join(categories),
              "i_month": str(int(month)), "i_day": str(int(day)), "short_year": year[2:], "output_ext": ".html",
              "y_day": f"{named.timetuple().tm_yday:03d}", "name": title}
    old = _old_addresses(front.data, _fill(str(front.data.get("permalink") or pattern), values))
    entry = Entry(shown, source / rel, "news", front, title, lang, translation_key(front.data) or shown, when, tags, old,
                  {f"{year}-{month}-{day}-{title}", rel.with_suffix("").as_posix(), rel.as_posix(),
                   (Path(*rel.parts[rel.parts.index("_posts") + 1:])).with_suffix("").as_posix()}, notes=notes)
    return entry


def _page(source: Path, rel: Path, pattern: str, problems: Problems, default: str | None) -> Entry | None:
    """One page: its old address from its permalink, else its path (`about.md` was `/about.html`, or `/about/` with pretty addresses)."""
    shown = rel.as_posix()
    front = _front(source / rel, shown, problems, source)
    if front is None:
        return None
    stem = rel.parent.name if rel.stem == "index" and rel.parent.parts else rel.stem
    if rel.stem == "index" and not rel.parent.parts:
        problems.warning(shown, 0, "the home page is not imported: this site makes its own")
        return None
    folder = "/" + rel.parent.as_posix().strip(".").strip("/")
    own = folder.rstrip("/") + "/" if rel.stem == "index" else folder.rstrip("/") + f"/{rel.stem}" + ("/" if pattern.endswith("/") else ".html")
    old = _old_addresses(front.data, str(front.data.get("permalink") or own))
    notes: list[str] = []
    tags = merged_tags(front.data, True, notes)
    return Entry(shown, source / rel, "pages", front, stem, declared_lang(front.data) or default, translation_key(front.data) or shown, None,
                 tags, old, {rel.as_posix(), rel.with_suffix("").as_posix()}, notes=notes)


def _front(path: Path, shown: str, problems: Problems, source: Path):
    """A file's front matter and body, or None after a problem."""
    text = read_limited(path, shown, problems, root=source)
    return read_front(text, shown, problems) if text is not None else None


def _categories(rel: Path, data: dict) -> list[str]:
    """The categories in a post's address: the folders above `_posts`, then the front matter's, lowercased, once each."""
    above = list(rel.parts[: rel.parts.index("_posts")])
    named = merged_tags({"categories": data.get("categories"), "category": data.get("category")}, True, [])
    found: list[str] = []
    for name in above + named:
        if name.lower() not in found:
            found.append(name.lower())
    return found


def _slugified(text: str) -> str:
    """A name as Jekyll's 'pretty' slugify writes it in addresses: case kept, runs of other characters one hyphen."""
    return re.sub(r"(?:[^\w.~!$&'()+,;=@]|_)+", "-", text).strip("-")


def _fill(pattern: str, values: dict[str, str]) -> str:
    """A permalink pattern with its placeholders filled, slashes made single."""
    text = re.sub(r":([a-z_]+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    return "/" + re.sub(r"/{2,}", "/", text).lstrip("/")


def _old_addresses(data: dict, address: str) -> list[str]:
    """The post's address on the old site, then the ones `redirect_from` lists."""
    extra = data.get("redirect_from")
    extra = [extra] if isinstance(extra, str) else extra if isinstance(extra, list) else []
    found: list[str] = []
    for value in [address, *extra]:
        text = "/" + str(value).strip().lstrip("/")
        if text not in found:
            found.append(text)
    return found
