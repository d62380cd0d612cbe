"""Property-based fuzzing of front matter, Markdown bodies and data files (issue 8, point 3).

Each example is written into a fresh small site and built in this process. The build must either
return a result or raise BuildFailed whose problems all read `path:line: level: message` on one
line; it must never raise anything else, never run past a time bound, and never write outside its
output folder.
"""

from __future__ import annotations

import os
import re
import signal
import tempfile
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from support import SMALL, bare_copy, build, build_outcome, changes, copy_built, entries, summary, write_files

from sitegen.problems import BuildFailed, Problem, visible

from .conftest import NEVER_LEFT

# What follows the path (which may itself hold a colon: file names are the editor's) in a problem's line.
AFTER_PATH = re.compile(r"^(:\d+)?: (error|warning): [^\n]+$")
HANG_SECONDS = 30  # a hard stop for a build that hangs (no per-example deadline: a loaded machine is no failure)
# Shrinking a failure can take minutes; it is off unless HOSTILE_FUZZ_SHRINK=1 (the failing example is
# printed in full either way).
PHASES = tuple(Phase) if os.environ.get("HOSTILE_FUZZ_SHRINK") == "1" else (Phase.explicit, Phase.reuse, Phase.generate, Phase.target)
# `make test` (and so CI) tries the same examples on every run, so its verdict depends only on the code;
# `make fuzz` (HOSTILE_FUZZ_RANDOM=1) explores fresh random cases, many more of them, and compares each build with a cold one.
EXPLORE = os.environ.get("HOSTILE_FUZZ_RANDOM") == "1"
FUZZ = settings(
    max_examples=int(os.environ.get("HOSTILE_FUZZ_EXAMPLES", "1000" if EXPLORE else "60")),
    derandomize=not EXPLORE,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,  # write no example database into the repository
)

ARTICLE_FIELDS = [
    "title",
    "date",
    "summary",
    "draft",
    "updated",
    "slug",
    "aliases",
    "image",
    "image_alt",
    "extra",
    "tags",
    "partners",
    "platforms",
    "author",
]
PAGE_FIELDS = ["title", "date", "summary", "draft", "updated", "slug", "aliases", "menu", "weight", "layout", "extra"]
# The small sample site has two partners only (the ones its other data files name), so each example builds quickly.
SMALL_PARTNERS = (SMALL / "content" / "data" / "partners.yaml").read_text(encoding="utf-8")


# -- strategies -----------------------------------------------------------------------------------

odd_text = st.text(max_size=30) | st.sampled_from(
    [
        "",
        " ",
        "\t",
        "\u00a0",
        "é",
        "日本語",
        "👩‍🔬",
        "\u202e",
        "\x7f",
        "\x1b[31m",
        "a: b",
        "- x",
        "{{ 7*7 }}",
        "<script>",
        "..",
        "/etc/passwd",
        "null",
        "~",
        "yes",
        "2024-13-45",
    ]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=10
)
plausible = {
    "title": st.text(min_size=1, max_size=60),
    "date": st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 1, 1))
    | st.sampled_from(["2024-01-15", "2024-01-15 12:00 +0100", "2024-01-15T12:00:00Z", "15/01/2024"]),
    "tags": st.lists(st.text(min_size=1, max_size=20), max_size=4),
    "partners": st.lists(st.sampled_from(["amu", "anr", "unknown-id", "AMU"]), max_size=3),
    "slug": st.from_regex(r"^[a-z0-9]+(-[a-z0-9]+)*$", fullmatch=True) | odd_text,
    "aliases": st.lists(st.sampled_from(["/old/", "/a/b/", "../x/", "/news/hello/", "//evil.example/", "/x y/"]) | odd_text, max_size=3),
    "draft": st.booleans(),
}


@st.composite
def front_matter(draw, fields: list[str]) -> dict:
    """A front matter mapping: known fields with plausible or random values, plus junk keys."""
    data = {}
    for name in draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields))):
        strategy = plausible.get(name)
        data[name] = draw(strategy | values if strategy is not None else values)
    for key in draw(st.lists(st.text(min_size=1, max_size=12), max_size=3)):
        data[key] = draw(values)
    return data


def dump(data) -> str:
    """YAML text for any generated value."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


raw_yaml_lines = st.lists(
    st.tuples(st.sampled_from([*ARTICLE_FIELDS, "x", "<<", "- "]), st.text(max_size=25)).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    max_size=8,
).map("\n".join)

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "{{ 7*7 }}",
    "{% raw %}",
    "{%",
    "}}",
    "---",
    "+++",
    "...",
    "\n",
    "\n\n",
    "```",
    "`",
    "# Heading",
    "## Sub",
    "> quote",
    "- item",
    "1. item",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[link](/news/)",
    "[bad](/nowhere/)",
    "[x](javascript:alert(1))",
    "![alt](/images/logo.png)",
    "![](missing.png)",
    "<iframe src=https://evil.example/>",
    "<a onclick=x>",
    "&amp;",
    "&#0;",
    "&nosuch;",
    "*",
    "_",
    "__",
    "\\",
    "<",
    ">",
    "é",
    "🧬",
    "\u200b",
    "\r\n",
    "\r",
    "\ufeff",
    "\t",
    "\x00",
    "\x0c",
    "[^1]\n\n[^1]: note",
    "*[HTML]: abbr",
    "{: #id }",
    "<http://a.b>",
]
bodies = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=40), max_size=25).map("".join)
file_names = st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=40)


# -- running one example ----------------------------------------------------------------------------


@pytest.fixture
def fuzz_template(small_built) -> Path:
    """The small sample site, built once for the session (each example copies it, build cache included)."""
    return small_built


@contextmanager
def time_bound(seconds: int):
    """Raise in the test if one build runs longer than `seconds` (a hang)."""

    def stop(_signum, _frame):
        raise TimeoutError(f"the build ran for more than {seconds}s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def build_example(template: Path, files: dict[str, str | bytes], inspect=None) -> object:
    """Copy the template into a fresh folder, lay `files` over it, build, and check the outcome.

    `inspect(site, outcome)` runs before the folder is removed.
    """
    with tempfile.TemporaryDirectory(prefix="mib-fuzz-") as tmp:
        top = Path(tmp)
        site = top / "site"
        copy_built(template, site)
        write_files(site, files)
        skip = (site / "public", site / ".cache", site / ".public.staging", site / ".public.mib-portal")  # the marker: issue #18
        before = entries(top, skip)
        outcome: object
        with time_bound(HANG_SECONDS):
            try:
                outcome = build(site, output=None)  # the output folder of the settings, as the template was built: its graph goes on
            except BuildFailed as failed:
                outcome = failed
        found = changes(before, entries(top, skip))
        assert not found, "the build wrote outside its output folder:\n" + "\n".join(found[:20])
        for name in NEVER_LEFT:
            assert not (site / name).exists(), f"{name} left behind"
        problems = outcome.problems
        for problem in problems:
            assert isinstance(problem, Problem), f"not a Problem: {problem!r}"
            line, shown = str(problem), visible(problem.path)
            assert line.startswith(shown) and AFTER_PATH.match(line[len(shown) :]), (
                f"problem not in 'path:line: level: message' form: {line!r}"
            )
        if isinstance(outcome, BuildFailed):
            assert any(p.is_error for p in outcome.problems), "BuildFailed without an error"
        else:
            assert (site / "public" / "index.html").is_file(), "a successful build must publish the home page"
        if inspect:
            inspect(site, outcome)
        if EXPLORE:
            assert cold_outcome(site, top / "cold") == summary(outcome, site), "the build on the template's graph differs from a cold build"
        return outcome


def cold_outcome(site: Path, where: Path) -> tuple:
    """summary() of a cold build of a copy of the site (no cache, no output)."""
    with time_bound(HANG_SECONDS):
        return build_outcome(bare_copy(site, where), output=None)


# -- the properties ---------------------------------------------------------------------------------


@st.composite
def markdown_file(draw) -> tuple[str, bytes]:
    """(path, bytes) of an article or page: generated front matter (dumped, or raw lines), any body."""
    kind = draw(st.sampled_from(["news", "pages"]))
    if draw(st.booleans()):
        meta = "---\n" + dump(draw(front_matter(ARTICLE_FIELDS if kind == "news" else PAGE_FIELDS))) + "---\n"
    else:
        meta = "---\n" + draw(raw_yaml_lines) + "\n---\n"
    text = meta + draw(bodies)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    name = draw(file_names) + draw(st.sampled_from(["", ".fr", ".de", ".en"]))
    if name in (".", "..") or len(os.fsencode(name + ".md")) > 250:
        name = "fuzzed"
    return f"content/{kind}/{name}.md", text.encode("utf-8")


@FUZZ
@given(file=markdown_file())
# Cases fuzzing found, kept so they are tried on every run.
@example(file=("content/news/0.md", b"---\ntitle: \x08\n---\n"))  # a control character YAML refuses
@example(file=("content/news/key.md", b'---\ntitle: x\ndate: 2024-01-01\n"a\\nb": 1\n---\n'))  # a key with a line break
@example(file=("content/news/new\nline.md", b"---\ntitle: x\n---\n"))  # a file name with a line break
@example(file=("content/pages/a:b.en.md", b"---\ntitle: x\n---\n"))  # found by fuzzing: a colon in the file name
def test_fuzz_front_matter(fuzz_template, file):
    path, data = file
    build_example(fuzz_template, {path: data})


@FUZZ
@given(body=bodies, title=st.text(min_size=1, max_size=40))
def test_fuzz_markdown_body(fuzz_template, body, title):
    text = "---\n" + dump({"title": title, "date": date(2024, 2, 1), "tags": ["fuzz"]}) + "---\n" + body

    def never_evaluated(site: Path, outcome) -> None:
        """A built article is published with its body; `{{ 7*7 }}` in it is never turned into 49 by a template engine."""
        if isinstance(outcome, BuildFailed):
            return
        html = (site / "public/news/fuzzed/index.html").read_text(encoding="utf-8")
        assert 'class="prose"' in html, "the article page has no body"
        prose = html.split('class="prose"', 1)[1].split("</article>", 1)[0]
        if "49" not in body and "49" not in title:
            assert "49" not in prose, "the body was evaluated as a template"

    build_example(fuzz_template, {"content/news/fuzzed.md": text}, never_evaluated)


ids = st.from_regex(r"^[a-z0-9]+(-[a-z0-9]+)*$", fullmatch=True).filter(lambda s: len(s) <= 40) | odd_text
lang_text = st.text(min_size=1, max_size=40) | st.fixed_dictionaries({"en": st.text(max_size=40), "fr": st.text(max_size=40)}) | values


@st.composite
def partner(draw) -> dict:
    """One partner entry: mostly well-formed, sometimes broken, sometimes with junk keys."""
    entry = {
        "id": draw(ids),
        "name": draw(lang_text),
        "type": draw(st.sampled_from(["academic", "hospital", "industry", "public-authority", "ecosystem", "university", ""]) | values),
        "description": draw(lang_text),
    }
    optional = {
        "short_name": odd_text,
        "founding_member": st.booleans() | values,
        "website": st.sampled_from(["https://example.org", "http://x", "javascript:alert(1)", "example.org"]) | odd_text,
        "logo": odd_text,
        "location": lang_text,
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        entry[key] = draw(optional[key])
    if draw(st.booleans()):
        entry.pop(draw(st.sampled_from(sorted(entry))))
    for key in draw(st.lists(st.text(min_size=1, max_size=10), max_size=2)):
        entry[key] = draw(values)
    return entry


DATA_TARGETS = [
    "content/data/partners.yaml",
    "content/data/figures.yaml",
    "content/data/milestones.yaml",
    "content/data/funding.yaml",
    "config.yaml",
    "templates/i18n/fr.yaml",
]


@st.composite
def data_file(draw) -> tuple[str, str]:
    """(path, text): a generated partners list, or raw text in place of a data, config or strings file."""
    if draw(st.booleans()):
        partners = draw(st.lists(partner(), max_size=6))
        content = (yaml.safe_load(SMALL_PARTNERS) if draw(st.booleans()) else []) + partners
        shape = draw(st.sampled_from(["list", "list", "scalar", "mapping"]))
        if shape == "scalar":
            content = partners[0].get("id") if partners else None
        elif shape == "mapping":
            content = {"partners": content}
        return "content/data/partners.yaml", dump(content)
    return draw(st.sampled_from(DATA_TARGETS)), draw(st.text(max_size=300) | st.lists(st.sampled_from(YAML_BITS), max_size=12).map("".join))


YAML_BITS = [
    "- ",
    "id: ",
    "amu",
    "\n",
    "  ",
    "&a ",
    "*a",
    "<<: ",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "---\n",
    "...\n",
    "!!python/name:os.system",
    "!!str ",
    "? ",
    "|\n",
    ">-\n",
    "#",
    "\t",
    "'",
    '"',
    "\ufeff",
    "\x85",
    "\u2028",
    "é",
]


@FUZZ
@given(file=data_file())
@example(
    file=("content/data/partners.yaml", "- id: '0'\n  name: '0'\n  type: academic\n  description: '0'\n  ? '\n\n    '\n  : null\n")
)  # found by fuzzing
@example(file=("content/data/figures.yaml", "\x1b"))  # found by fuzzing: a control character YAML refuses
@example(file=("config.yaml", ""))  # found by fuzzing: settings emptied on a built site
def test_fuzz_data_files(fuzz_template, file):
    path, text = file
    build_example(fuzz_template, {path: text})
