"""Markdown that never ends (issue 18, point 4) and control characters in bodies (point 5): errors, never tracebacks."""

import signal
import time

import pytest

from sitegen.problems import Problems
from sitegen.render import markup
from sitegen.render.markdown_limits import MAX_NESTING, OverBudget, nesting_problem, time_budget
from sitegen.render.markup import to_html, to_html_checked

FLATTEN = "flatten it: readers do not follow more than a few levels"


def checked(text: str, seconds: float | None = None) -> tuple[str | None, list[str]]:
    """to_html_checked on a body that starts at line 5 of content/news/x.md."""
    problems = Problems()
    return to_html_checked(text, "content/news/x.md", 5, problems, seconds), [str(p) for p in problems]


DEEP = [
    ("indented list", "Intro.\n\n" + "".join("    " * i + "- x\n" for i in range(300)), 47, "lists or quotes 41 levels deep, more than 40"),
    ("list markers on one line", "1. " * 1000 + "x\n", 5, "lists or quotes 1000 levels deep, more than 40"),
    ("bullets on one line", "- " * 50 + "x\n", 5, "lists or quotes 50 levels deep, more than 40"),
    ("quotes", ">" * 1000 + " x\n", 5, "lists or quotes 1000 levels deep, more than 40"),
    ("quotes and lists", "> - " * 30 + "x\n", 5, "lists or quotes 60 levels deep, more than 40"),
    ("tab indentation", "".join("\t" * i + "- x\n" for i in range(60)), 45, "lists or quotes 41 levels deep, more than 40"),
    ("definitions", "".join("    " * i + "Term\n" + "    " * i + ": def\n" for i in range(400)), 86,
     "lists or quotes 41 levels deep, more than 40"),
    ("emphasis", "*a " * 1000 + "x" + " a*" * 1000, 5, "emphasis (* or _) more than 40 levels deep"),
    ("strong emphasis", "***" * 1000 + "x" + "***" * 1000, 5, "emphasis (* or _) more than 40 levels deep"),
    ("underscores", "Intro.\n\n" + "_a " * 1000 + "x" + " a_" * 1000, 7, "emphasis (* or _) more than 40 levels deep"),
    ("brackets", "[" * 3000 + "x" + "](/y)" * 3000, 5, "brackets ([) more than 40 levels deep"),
    ("markdown blocks", '<div markdown="1">\n' * 400 + "x\n" + "</div>\n" * 400, 45, 'markdown="1" blocks more than 40 levels deep'),
]


@pytest.mark.parametrize(("text", "line", "what"), [case[1:] for case in DEEP], ids=[case[0] for case in DEEP])
def test_deep_nesting_is_refused_before_conversion(text, line, what, monkeypatch):
    def never(text: str) -> str:
        raise AssertionError("converted: the nesting should have been found by the scan")

    monkeypatch.setattr(markup, "to_html", never)
    assert checked(text) == (None, [f"content/news/x.md:{line}: error: the Markdown nests {what} ({FLATTEN})"])


NOT_DEEP = [
    "- a\n    - b\n        - c\n",
    "*" * 80 + "\n\n" + "- " * 3 + "x\n" + "-" * 120 + "\n",
    "```python\n" + "".join("    " * i + "x = *args, **kwargs\n" for i in range(60)) + "```\n",
    "Words with snake_case_names and **bold**, *em*, [links](/x/) and (*parenthesised*) " * 40,
    "* " * 30 + "\n\n" + "[a] " * 200,
]


@pytest.mark.parametrize("text", NOT_DEEP, ids=range(len(NOT_DEEP)))
def test_ordinary_markdown_is_not_deep(text):
    assert nesting_problem(text) is None
    assert checked(text) == (to_html(text), [])


def test_the_budget_stops_a_slow_conversion():
    """Unclosed link syntax repeated is quadratic in Python-Markdown; the budget stops it and the next body converts."""
    assert checked("Intro.\n\n" + "[a](b " * 3000, seconds=0.2) == (None, [
        "content/news/x.md:5: error: the Markdown takes more than 0.2 s to convert "
        "(look for an unclosed link '[text](address' repeated, or very deep nesting; or split the article)"])
    assert checked("*fine*") == ("<p><em>fine</em></p>", [])
    assert signal.getsignal(signal.SIGPROF) == signal.SIG_DFL and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_the_default_budget_is_read_at_each_call(monkeypatch):
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.1)
    assert checked("[a](b " * 3000)[1][0].endswith("more than 0.1 s to convert (look for an unclosed link '[text](address' repeated, "
                                                    "or very deep nesting; or split the article)")


def test_recursion_the_scan_misses_is_an_error(monkeypatch):
    """A RecursionError (here, any conversion with a tiny recursion limit) is an error, and the converter is made anew."""
    import sys

    limit = sys.getrecursionlimit()
    monkeypatch.setattr(markup, "nesting_problem", lambda text: None)
    try:
        sys.setrecursionlimit(120)
        found = checked("- a\n" + "".join("    " * i + "- x\n" for i in range(1, 30)))
    finally:
        sys.setrecursionlimit(limit)
    assert found == (None, [f"content/news/x.md:5: error: the Markdown is nested too deeply to convert ({FLATTEN})"])
    assert checked("*fine*") == ("<p><em>fine</em></p>", [])


def test_the_budget_holds_in_another_thread_too():
    """The preview server rebuilds in a thread of its own: the budget is sent there as an exception."""
    import threading

    found = []
    thread = threading.Thread(target=lambda: found.append(checked("[a](b " * 3000, seconds=0.2)))
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert found == [(None, ["content/news/x.md:5: error: the Markdown takes more than 0.2 s to convert "
                             "(look for an unclosed link '[text](address' repeated, or very deep nesting; or split the article)"])]
    done = []
    thread = threading.Thread(target=lambda: done.append(checked("*fine*", seconds=0.05)))
    thread.start()
    thread.join()
    time.sleep(0.1)  # past the budget: nothing is sent once the conversion is over
    assert done == [("<p><em>fine</em></p>", [])]


def test_time_budget_in_the_main_thread():
    """The main thread's budget is CPU time: a busy loop is stopped; waiting (as a conversion starved of a core does) is not."""
    with pytest.raises(OverBudget), time_budget(0.05):
        while True:
            pass
    with time_budget(0.05):
        time.sleep(0.2)
    with time_budget(0.05):
        pass
    deadline = time.process_time() + 0.1
    while time.process_time() < deadline:  # no alarm left to go off
        pass


@pytest.mark.parametrize(("text", "expected"), [
    ("Bell &#7; rings", "content/news/x.md:5: error: the text holds the control character U+0007, written '&#7;'"),
    ("Intro.\n\nAn escape &#x1B;[31m", "content/news/x.md:7: error: the text holds the control character U+001B, written '&#x1B;'"),
    ("&#0000027;", "content/news/x.md:5: error: the text holds the control character U+001B, written '&#0000027;'"),
    ("DEL &#127;", "content/news/x.md:5: error: the text holds the control character U+007F, written '&#127;'"),
])
def test_character_references_to_control_characters(text, expected):
    assert checked(text) == (None, [expected + " (delete it: it shows as nothing, or as a box)"])


def test_character_references_that_are_fine():
    for text in ("Tab &#9; and &#x0A; and &#150; (an en dash in Windows-1252)", "`&#27;` shown as code", "&amp;#27;"):
        assert checked(text) == (to_html(text), [])


def test_max_nesting_is_what_the_messages_say():
    assert MAX_NESTING == 40
