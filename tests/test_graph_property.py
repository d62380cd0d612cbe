"""Random sequences of edits over every kind of input: after each, the incremental build is the cold build, byte for byte.

`make test` tries the same few sequences on every run (derandomized); `make fuzz` draws fresh ones
(HOSTILE_FUZZ_RANDOM=1, and GRAPH_FUZZ_EXAMPLES for how many).
"""

from __future__ import annotations

import gc
import os
import random
from collections.abc import Callable
from pathlib import Path

import pictures
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import bare_copy, build_outcome, copy_built, load_cli, make_site, tree

load_cli()
from sitegen.graph import inputs  # noqa: E402 - after load_cli put the repository on sys.path

RANDOM = bool(os.environ.get("HOSTILE_FUZZ_RANDOM"))
EXAMPLES = int(os.environ.get("GRAPH_FUZZ_EXAMPLES", "200" if RANDOM else "6"))
WORDS = ["immunology", "Marseille", "platform", "antibody", "funding", "research", "trial", "cluster"]

Edit = Callable[[Path, random.Random], None]


def _sub(site: Path, rel: str, old: str, new: str) -> None:
    """Replace the first occurrence of a text, when the file has it."""
    path = site / rel
    if path.is_file():
        text = path.read_text()
        if old in text:
            path.write_text(text.replace(old, new, 1))


def _append(site: Path, rel: str, text: str) -> None:
    """Add a text at the end of a file, when it exists."""
    path = site / rel
    if path.is_file():
        path.write_text(path.read_text() + text)


def body(site: Path, rnd: random.Random) -> None:
    _append(site, rnd.choice(["content/news/first-award.md", "content/news/platform-news.md", "content/pages/contact.md"]),
            f"\n{rnd.choice(WORDS)} {rnd.choice(WORDS)}.\n")


def first_paragraph(site: Path, rnd: random.Random) -> None:
    _sub(site, "content/news/platform-news.md", "\n---\n", f"\n---\n{rnd.choice(WORDS).title()} comes first.\n\n")


def title(site: Path, rnd: random.Random) -> None:
    _sub(site, "content/news/first-award.md", 'title: "', f'title: "{rnd.choice(WORDS).title()} ')


def date(site: Path, rnd: random.Random) -> None:
    path = site / "content/news/launch-day/index.md"
    text = path.read_text()
    path.write_text(text.replace("date: 2024-01-31", "date: 2099-03-01") if "2024-01-31" in text else text.replace("date: 2099-03-01", "date: 2024-01-31"))


def tags(site: Path, rnd: random.Random) -> None:
    _sub(site, "content/news/platform-news.md", "tags: [", f"tags: [{rnd.choice(WORDS)}, ")


def translation(site: Path, rnd: random.Random) -> None:
    path = site / "content/news/platform-news.fr.md"
    if path.exists():
        path.unlink()
    else:
        path.write_text(f"---\ntitle: \"Nouvelle {rnd.choice(WORDS)}\"\ndate: 2024-03-01\n---\nUn texte.\n")


def partner(site: Path, rnd: random.Random) -> None:
    _sub(site, "content/data/partners.yaml", rnd.choice(["location: Marseille", "Leads the sample cluster."]),
         rnd.choice(["location: Lyon", "Leads the cluster."]))


def platform(site: Path, rnd: random.Random) -> None:
    _sub(site, "content/data/platforms.yaml", "status: planned", "status: open")


def figures(site: Path, rnd: random.Random) -> None:
    _sub(site, "content/data/figures.yaml", "value: ", f"value: {rnd.randint(1, 9)}")


def funding(site: Path, rnd: random.Random) -> None:
    _sub(site, "content/data/funding.yaml", "amount: ", f"amount: {rnd.randint(1, 9)}")


def milestones(site: Path, rnd: random.Random) -> None:
    _sub(site, "content/data/milestones.yaml", "status: done", "status: planned")


def strings(site: Path, rnd: random.Random) -> None:
    lang = rnd.choice(["en", "fr"])
    _sub(site, f"templates/i18n/{lang}.yaml", 'nav_news: "', f'nav_news: "{rnd.choice(WORDS)} ')


def addresses(site: Path, rnd: random.Random) -> None:
    key = rnd.choice(["news", "tags", "partners", "platforms", "page"])
    path = site / "templates/i18n/fr.yaml"
    lines = [f'address_{key}: "{key}-{rnd.randint(1, 3)}"\n' if line.startswith(f"address_{key}:") else line
             for line in path.read_text().splitlines(True)]
    path.write_text("".join(lines))


def untranslated(site: Path, rnd: random.Random) -> None:
    path = site / "config.yaml"
    text = path.read_text().replace("untranslated_addresses: redirect\n", "").replace("untranslated_addresses: none\n", "")
    path.write_text(text + f"untranslated_addresses: {rnd.choice(['redirect', 'none'])}\n")


def template(site: Path, rnd: random.Random) -> None:
    name = rnd.choice(["article.html", "list.html", "home.html", "page.html", "partner.html", "platforms.html", "funding.html", "tags.html"])
    _sub(site, f"templates/{name}", "{% block main %}", f"{{% block main %}}<!-- {rnd.choice(WORDS)} -->")


def partial(site: Path, rnd: random.Random) -> None:
    _sub(site, "templates/partials/cards.html", '<p class="meta">', f'<p class="meta {rnd.choice(WORDS).lower()}">')


def base(site: Path, rnd: random.Random) -> None:
    _sub(site, "templates/base.html", "</body>", f"<!-- {rnd.choice(WORDS)} --></body>")


def css(site: Path, rnd: random.Random) -> None:
    _append(site, "static/css/style.css", f"\n/* {rnd.choice(WORDS)} */\n")


def config(site: Path, rnd: random.Random) -> None:
    path = site / "config.yaml"
    text = path.read_text()
    for old in ("per_page: 1", "per_page: 2", "per_page: 3"):
        text = text.replace(old, f"per_page: {rnd.randint(1, 3)}")
    path.write_text(text)


def added(site: Path, rnd: random.Random) -> None:
    name = f"new-{rnd.randint(1, 3)}"
    (site / f"content/news/{name}.md").write_text(f"---\ntitle: \"{rnd.choice(WORDS).title()}\"\ndate: 2024-0{rnd.randint(1, 9)}-01\n"
                                                   f"tags: [{rnd.choice(WORDS)}]\n---\nSome text.\n")


def renamed(site: Path, rnd: random.Random) -> None:
    news = sorted((site / "content/news").glob("new-*.md"))
    if news:
        news[0].rename(news[0].with_name(f"renamed-{rnd.randint(1, 3)}.md"))


def deleted(site: Path, rnd: random.Random) -> None:
    news = sorted((site / "content/news").glob("*-*.md"))
    victims = [p for p in news if p.name.startswith(("new-", "renamed-", "draft"))]
    if victims:
        rnd.choice(victims).unlink()


def photo(site: Path, rnd: random.Random) -> None:
    """The article bundle's photo replaced by another picture (its own size), or removed, or put back."""
    path = site / "content/news/launch-day/photo.png"
    if path.exists() and rnd.random() < 0.3:
        path.unlink()
        return
    path.write_bytes(pictures.photo(rnd.randint(40, 400), rnd.randint(40, 300), "PNG"))


def event(site: Path, rnd: random.Random) -> None:
    """An event added (in the past or to come, its start moved on each edit), or removed."""
    path = site / "content/events/seminar.md"
    if path.exists() and rnd.random() < 0.3:
        path.unlink()
        return
    path.parent.mkdir(exist_ok=True)
    day = rnd.choice(["2023-10-14", "2024-06-01", "2099-03-01"])
    path.write_text(f"---\ntitle: \"Immunology seminar\"\nstart: {day} 14:00\nend: {day} 16:00\nplace: {{name: Sample lecture hall}}\n"
                    f"organisers: [sample-university]\n---\nA seminar about {rnd.choice(WORDS)}.\n")


def _toggle(site: Path, rel: str, old: str, new: str) -> None:
    """A mistake made, or put right when it is there: `old` becomes `new`, or `new` goes back to `old`."""
    path = site / rel
    if path.is_file():
        text = path.read_text()
        path.write_text(text.replace(new, old, 1) if new in text else text.replace(old, new, 1))


def config_broken(site: Path, rnd: random.Random) -> None:
    _toggle(site, "config.yaml", "per_page:", "per_page: [")


def date_broken(site: Path, rnd: random.Random) -> None:
    _toggle(site, "content/news/first-award.md", "date: 2023-05-12", "date: 2023-5-12")


def link_broken(site: Path, rnd: random.Random) -> None:
    _toggle(site, "content/news/platform-news.md", "\n---\n", "\n---\nSee [the plan](/no-such-page/).\n\n")


def data_broken(site: Path, rnd: random.Random) -> None:
    rel, old, new = rnd.choice([("content/data/partners.yaml", "type: ", "type: [ "), ("content/data/partners.yaml", "type: ", "type: x"),
                                ("content/data/platforms.yaml", "status: ", "status: [ ")])
    _toggle(site, rel, old, new)


def strings_broken(site: Path, rnd: random.Random) -> None:
    _toggle(site, f"templates/i18n/{rnd.choice(['en', 'fr'])}.yaml", 'nav_news: "', 'nav_news: ["')


def template_broken(site: Path, rnd: random.Random) -> None:
    _toggle(site, f"templates/{rnd.choice(['article.html', 'base.html', 'partials/cards.html'])}", "{% if ", "{% if if ")


EDITS: list[Edit] = [body, first_paragraph, title, date, tags, translation, partner, platform, figures, funding, milestones, strings,
                     addresses, untranslated, template, partial, base, css, config, added, renamed, deleted,
                     config_broken, date_broken, link_broken, data_broken, strings_broken, template_broken, photo, event]


def outcome(site: Path, search: bool = False) -> tuple:
    """What a build of a site gives: its published files, or the problems that stopped it (and the files left as they were).

    With search, the index's shards are compared by name and shards.json, not by their bytes: a cold build has no
    kept shards, and Pagefind writes its filter and metadata files anew (its issue #638).
    """
    found = build_outcome(site, search=search)
    if not search or found[0] != "built":
        return found
    files = {path: data for path, data in found[2].items() if not path.startswith("pagefind/") or path == "pagefind/shards.json"}
    shards = sorted({path.split("/")[1] for path in found[2] if path.startswith("pagefind/") and path.count("/") > 1})
    return (*found[:2], files, shards)


def cold(site: Path, where: Path, search: bool = False) -> tuple:
    """A cold build of a copy of the site."""
    return outcome(bare_copy(site, where), search)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The minimal sample site, built once: each sequence of edits starts from a copy that goes on from its graph."""
    site = make_site(tmp_path_factory.mktemp("built"))
    assert outcome(site)[0] == "built"
    return site


def _steps(*edits: Edit) -> list[tuple[int, int]]:
    """A sequence of edits as the test draws them (each with seed 1)."""
    return [(EDITS.index(edit), 1) for edit in edits]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM, suppress_health_check=list(HealthCheck))
# Mistakes made after a good build, other edits while they stand, then put right: in every run.
@example(search=False, steps=_steps(config_broken, body, config_broken))
@example(search=False, steps=_steps(data_broken, title, data_broken, partner))
@example(search=False, steps=_steps(template_broken, partial, template_broken))
@example(search=False, steps=_steps(date_broken, link_broken, date_broken, link_broken))
@example(search=False, steps=_steps(strings_broken, strings, strings_broken))
@example(search=False, steps=_steps(link_broken, body, link_broken, base))  # a text converted by a failed build, read again after the fix
@given(steps=st.lists(st.tuples(st.integers(0, len(EDITS) - 1), st.integers(0, 1000)), min_size=2, max_size=4),
       search=st.booleans() if RANDOM else st.just(False))
def test_random_edits_build_as_cold(steps, built, tmp_path_factory, search):
    """After each edit of a random sequence, an incremental build equals a cold build of the same files (with the
    search index, in make fuzz, half the time)."""
    inputs.RACY_NS = 0  # the edits come faster than the clock's resolution would show: every listing is trusted
    try:
        where = tmp_path_factory.mktemp("edits")
        site = copy_built(built, where / "site")
        for index, seed in steps:
            EDITS[index](site, random.Random(seed))
            published = tree(site / "public")
            incremental = outcome(site, search)
            expected = cold(site, where / "cold", search)
            if incremental[0] == "failed":
                assert tree(site / "public") == published, "a failed build changed the published site"
            assert incremental == expected, f"after {[EDITS[i].__name__ for i, _ in steps]}"
    finally:
        inputs.RACY_NS = 2_000_000_000
        gc.collect()  # the builds' graphs, left in cycles among the oldest objects (as serve collects when idle): make fuzz stays lean
