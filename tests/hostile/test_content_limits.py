"""What one file may ask for (issue 18, points 3-5): bounded output, Markdown that ends, no control characters.

4,000 tags in one 27 KB article wrote 504 MB (each tag's page and feed listed every tag); a 50 MB
description was accepted; 700 nested list levels or nested `markdown="1"` blocks ended in a
RecursionError traceback; `[a](b ` repeated took minutes; `"\\u001b"` in YAML reached the pages.
Each is now an error naming the file and line, exit 1, and public/ as it was.
"""

from __future__ import annotations

import json

import pytest
from support import entries, load_cli

from .conftest import article, build_checked, problem_lines

KEEP = "keep at most {n}: each one is shown on many pages"
FLATTEN = "flatten it: readers do not follow more than a few levels"
ESCAPE = "remove the escape ('\\e', '\\x1b', '\\u001b'...) from the quoted text"


def write(site, rel: str, text: str) -> None:
    """Write a text file into the site."""
    (site / rel).write_text(text, encoding="utf-8")


def append(site, rel: str, text: str) -> int:
    """Append to a text file; returns the file's line where the appended text starts."""
    before = (site / rel).read_text(encoding="utf-8")
    (site / rel).write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def test_what_one_file_may_ask_for_is_bounded(built_site):
    tags = "".join(f"  - tag-{i}\n" for i in range(4000))
    write(built_site, "content/news/tags.md", article(extra=f"tags:\n{tags}"))
    write(built_site, "content/news/aliases.md", article(extra=f"aliases: {json.dumps([f'/old-{i}/' for i in range(21)])}\n"))
    write(built_site, "content/news/summary.md", article(extra=f"summary: \"{'a' * 1001}\"\npartners: [{', '.join(['amu'] * 51)}]\n"))
    first = append(built_site, "content/data/partners.yaml", "".join(
        f"\n- id: extra-{i}\n  name: Extra {i}\n  type: ecosystem\n  description: A partner.\n" for i in range(1000)))
    line = append(built_site, "content/data/milestones.yaml", f"\n- date: 2030\n  title: Later\n  description: \"{'d' * 5001}\"\n  status: planned\n")
    append(built_site, "content/data/figures.yaml", "\n# " + "x" * 1_000_000 + "\n")
    run = build_checked(built_site)  # public/ is left untouched (build_checked checks it after a failure)
    assert run.returncode == 1, str(run)
    partners = (built_site / "content/data/partners.yaml").read_text(encoding="utf-8").splitlines()
    over = [i + 1 for i, text in enumerate(partners) if text.startswith("- id:")][1000]
    assert first < over
    milestones = sum(1 for text in (built_site / "content/data/milestones.yaml").read_text(encoding="utf-8").splitlines() if text.startswith("- "))
    assert problem_lines(run) == [
        "content/data/figures.yaml: error: the data file is 1.0 MB, more than the 1 MB a data file may have "
        "(data files hold short texts: put long ones in articles or pages)",
        f"content/data/milestones.yaml:{line + 3}: error: entry {milestones}: 'description' is 5001 characters long, more than the 5000 allowed "
        "(shorten it: long texts belong in an article's body)",
        f"content/data/partners.yaml:{over}: error: the file has {sum(t.startswith('- id:') for t in partners)} entries, "
        f"more than the 1000 allowed ({KEEP.format(n=1000)})",
        f"content/news/aliases.md:4: error: 'aliases' has 21 items, more than the 20 allowed ({KEEP.format(n=20)})",
        "content/news/summary.md:4: error: 'summary' is 1001 characters long, more than the 1000 allowed (shorten it: long texts belong in an article's body)",
        f"content/news/summary.md:5: error: 'partners' has 51 items, more than the 50 allowed ({KEEP.format(n=50)})",
        f"content/news/tags.md:25: error: 'tags' has 4000 items, more than the 20 allowed ({KEEP.format(n=20)})",
    ], str(run)


def test_each_feed_holds_an_articles_tags_once(built_site):
    """An article with the most tags allowed: its entry lists each tag once in every feed, and each tag's feed has that one entry.

    A feed's size grows with the tags of its entries (at most 20 each), never with the square of their number.
    """
    names = [f"t{i}" for i in range(20)]
    write(built_site, "content/news/many-tags.md", article(extra=f"tags: [{', '.join(names)}]\n"))
    run = build_checked(built_site)
    assert run.returncode == 0, str(run)
    public = built_site / "public"
    main = (public / "feed.xml").read_text(encoding="utf-8")
    entry = main[main.index("/news/many-tags/"):]
    entry = entry[: entry.index("</entry>")]
    assert [line.strip() for line in entry.splitlines() if "<category" in line] == [f'<category term="{name}"/>' for name in names]
    for name in names:
        feed = (public / "tags" / name / "feed.xml").read_text(encoding="utf-8")
        assert feed.count("<entry>") == 1 and feed.count("<category") == 20, name


def test_markdown_that_never_ends_is_an_error(built_site):
    write(built_site, "content/news/lists.md", article("Intro.\n\n" + "".join("    " * i + "- x\n" for i in range(700))))
    write(built_site, "content/news/quotes.md", article(">" * 5000 + " deep\n"))
    write(built_site, "content/news/emphasis.md", article("*a " * 3000 + "x" + " a*" * 3000 + "\n"))
    write(built_site, "content/news/blocks.md", article('<div markdown="1">\n' * 500 + "x\n" + "</div>\n" * 500))
    write(built_site, "content/news/brackets.md", article("[" * 5000 + "x" + "](/y)" * 5000 + "\n"))
    run = build_checked(built_site)
    assert run.returncode == 1, str(run)
    assert problem_lines(run) == [
        f"content/news/blocks.md:45: error: the Markdown nests markdown=\"1\" blocks more than 40 levels deep ({FLATTEN})",
        f"content/news/brackets.md:5: error: the Markdown nests brackets ([) more than 40 levels deep ({FLATTEN})",
        f"content/news/emphasis.md:5: error: the Markdown nests emphasis (* or _) more than 40 levels deep ({FLATTEN})",
        f"content/news/lists.md:47: error: the Markdown nests lists or quotes 41 levels deep, more than 40 ({FLATTEN})",
        f"content/news/quotes.md:5: error: the Markdown nests lists or quotes 5000 levels deep, more than 40 ({FLATTEN})",
    ], str(run)


@pytest.mark.parametrize("jobs", [1, 2], ids=["main-process", "workers"])
def test_a_conversion_over_its_budget_is_an_error(built_site, monkeypatch, jobs):
    """The budget trips in the build's own process and in forked workers alike (a small budget set here)."""
    import sitegen.graph.parallel
    import sitegen.render.markup

    cli = load_cli()
    monkeypatch.setattr(sitegen.render.markup, "MARKDOWN_SECONDS", 0.2)
    monkeypatch.setattr(sitegen.graph.parallel, "MIN_PARALLEL", 1)
    write(built_site, "content/news/slow.md", article("Intro.\n\n" + "[a](b " * 2000))
    published = entries(built_site / "public")
    with pytest.raises(cli.BuildFailed) as failed:
        cli.build(cli.Options(config=built_site / "config.yaml", output=built_site / "public", search=False, jobs=jobs))
    assert [str(p) for p in failed.value.problems] == [
        "content/news/slow.md:5: error: the Markdown takes more than 0.2 s to convert "
        "(look for an unclosed link '[text](address' repeated, or very deep nesting; or split the article)"]
    assert entries(built_site / "public") == published


def test_control_characters_are_errors(built_site):
    write(built_site, "content/news/title.md", article(title="Bell \\u0007 rings"))
    write(built_site, "content/news/summary.md", article(extra='summary: "Red \\e[31m text"\ntags: ["a\\x1bb"]\n'))
    write(built_site, "content/news/body.md", article("Intro.\n\nAn escape \x1b[31m in the text.\n"))
    write(built_site, "content/news/entity.md", article("Intro.\n\nA bell &#7; in the text.\n"))
    line = append(built_site, "content/data/figures.yaml", '\n- value: 7\n  kind: number\n  label: {en: "Seven\\u0085", fr: "Sept"}\n')
    ui = append(built_site, "templates/i18n/fr.yaml", 'extra_key_for_test: "\\x9b2J"\n')
    append(built_site, "templates/i18n/en.yaml", 'extra_key_for_test: "fine"\n')
    run = build_checked(built_site)
    assert run.returncode == 1, str(run)
    assert problem_lines(run) == [
        "content/data/figures.yaml:" + str(line + 3) + f": error: the text holds the control character U+0085, written as an escape ({ESCAPE})",
        "content/news/body.md:7: error: the file contains the control character U+001B (delete it: most editors do not show it)",
        "content/news/entity.md:7: error: the text holds the control character U+0007, written '&#7;' (delete it: it shows as nothing, or as a box)",
        f"content/news/summary.md:4: error: the text holds the control character U+001B, written as an escape ({ESCAPE})",
        f"content/news/title.md:2: error: the text holds the control character U+0007, written as an escape ({ESCAPE})",
        f"templates/i18n/fr.yaml:{ui}: error: the text holds the control character U+009B, written as an escape ({ESCAPE})",
    ], str(run)


def test_control_character_in_config_is_an_error(built_site):
    path = built_site / "config.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  en: MIB editorial team" in text
    path.write_text(text.replace("  en: MIB editorial team", '  en: "MIB\\u001b[2J team"'), encoding="utf-8")
    line = text[: text.index("  en: MIB editorial team")].count("\n") + 1
    run = build_checked(built_site)
    assert run.returncode == 1, str(run)
    assert problem_lines(run) == [f"config.yaml:{line}: error: the text holds the control character U+001B, written as an escape ({ESCAPE})"]
