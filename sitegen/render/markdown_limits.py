"""Markdown that would never finish converting: nesting found before conversion, and a time budget around it.

Python-Markdown recurses once per level of lists, quotes, definitions, emphasis and `markdown="1"`
blocks (some 250 levels of lists end in RecursionError), and some unclosed syntax is quadratic
(`[a](b ` repeated 20,000 times took 100 s). The scan below is linear and looks closely only at the
few lines that could be deep; the budget stops whatever the scan cannot foresee.
"""

from __future__ import annotations

import ctypes
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

MAX_NESTING = 40
FLATTEN = "flatten it: readers do not follow more than a few levels"

# A line's block prefix: indentation, quote markers, list and definition markers.
_DEEP_PREFIX = re.compile(rf"\n([ \t>*+\-:.)0-9]{{{MAX_NESTING},}})")  # searched in "\n" + text: a literal first is quick
_MARKER = re.compile(r"[ \t]*(?:>|[*+\-:](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)", re.M)
_INLINE = re.compile(r"[*_]+|[\[\]]|\n[ \t]*\n")
_PUNCTUATION = re.compile(r"[^\w\s]")
_MD_BLOCK = re.compile(r"<[a-zA-Z][^>]*\smarkdown\s*=|</[a-zA-Z][a-zA-Z0-9]*\s*>")


def nesting_problem(text: str) -> tuple[int, str] | None:
    """(line offset in the text, message) for Markdown nested deeper than MAX_NESTING, else None."""
    return _block_nesting(text) or _inline_nesting(text) or _html_nesting(text)


def _block_nesting(text: str) -> tuple[int, str] | None:
    """Lists, quotes and definitions nested by indentation or by markers, outside fenced code."""
    fenced = None
    for match in _DEEP_PREFIX.finditer("\n" + text):
        depth, start = _prefix_depth(match.group(1)), match.start()  # where the line starts in `text`
        if depth <= MAX_NESTING:
            continue
        fenced = fenced if fenced is not None else _fenced(text)
        if not _inside(fenced, start):
            return text.count("\n", 0, start), f"the Markdown nests lists or quotes {depth} levels deep, more than {MAX_NESTING}"
    return None


def _fenced(text: str) -> list[tuple[int, int]]:
    """The spans of fenced code blocks (an unclosed fence runs to the end)."""
    starts = [m.start() for m in _FENCE.finditer(text)] if "```" in text or "~~~" in text else []
    return [(starts[i], starts[i + 1] if i + 1 < len(starts) else len(text)) for i in range(0, len(starts), 2)]


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """True when a position falls in one of the spans."""
    return any(start <= position < end for start, end in spans)


def _prefix_depth(prefix: str) -> int:
    """How many levels a line's prefix opens: each marker one, each four columns of indentation one."""
    depth, position = 0, 0
    while True:
        marker = _MARKER.match(prefix, position)
        if not marker or marker.end() == position:
            break
        spaces = marker.group()[: len(marker.group()) - len(marker.group().lstrip(" \t"))]
        depth += 1 + len(spaces.expandtabs(4)) // 4
        position = marker.end()
    rest = prefix[position:]
    return depth + len(rest[: len(rest) - len(rest.lstrip(" \t"))].expandtabs(4)) // 4


def _inline_nesting(text: str) -> tuple[int, str] | None:
    """Emphasis and brackets opened inside each other, paragraph by paragraph, outside fenced code."""
    if sum(text.count(c) for c in "*_[") <= MAX_NESTING:
        return None
    fenced, emphasis, brackets = _fenced(text), 0, 0
    for match in _INLINE.finditer(text):
        token = match.group()
        if token[0] == "\n" or (fenced and _inside(fenced, match.start())):
            emphasis = brackets = 0
            continue
        if token in "[]":
            brackets = max(brackets + (1 if token == "[" else -1), 0)
        else:
            emphasis = max(emphasis + _run_weight(text, match.start(), match.end()), 0)
        if emphasis > MAX_NESTING or brackets > MAX_NESTING:
            what = "emphasis (* or _)" if emphasis > MAX_NESTING else "brackets ([)"
            return text.count("\n", 0, match.start()), f"the Markdown nests {what} more than {MAX_NESTING} levels deep"
    return None


def _run_weight(text: str, start: int, end: int) -> int:
    """+n for a run of n emphasis marks that opens (a word after it, none before), -n for one that closes, else 0."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    opens = (before.isspace() or _PUNCTUATION.match(before)) and not after.isspace()
    closes = (after.isspace() or _PUNCTUATION.match(after)) and not before.isspace()
    return (end - start) * (bool(opens) - bool(closes))


def _html_nesting(text: str) -> tuple[int, str] | None:
    """Raw HTML blocks with markdown="1" opened inside each other."""
    if "markdown" not in text:
        return None
    depth = 0
    for match in _MD_BLOCK.finditer(text):
        depth = depth + 1 if match.group()[1] != "/" else max(depth - 1, 0)
        if depth > MAX_NESTING:
            return text.count("\n", 0, match.start()), f'the Markdown nests markdown="1" blocks more than {MAX_NESTING} levels deep'
    return None


class OverBudget(Exception):
    """A conversion ran past its time budget."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise OverBudget in the code inside after `seconds`.

    In a process's main thread (the build's, each forked helper's) after `seconds` of the process's
    CPU time, by SIGPROF: a conversion that waits for a core on a loaded machine is not stopped, so a
    build's result does not depend on the machine's load. In another thread (the preview server
    rebuilds in one) after `seconds` of wall time, by an exception a timer thread sends to this one.
    """
    if seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread() and hasattr(signal, "ITIMER_PROF"):
        with _alarm(seconds):
            yield
    else:
        with _sent_exception(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """OverBudget raised by SIGPROF after `seconds` of this process's CPU time; the previous handler restored."""
    def expired(signum, frame) -> None:
        """The alarm: stop the conversion."""
        raise OverBudget

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@contextmanager
def _sent_exception(seconds: float) -> Iterator[None]:
    """OverBudget sent to this thread after `seconds` by a timer; never delivered once the code inside is done."""
    ident, lock, state = threading.get_ident(), threading.Lock(), {"done": False, "sent": False}

    def expire() -> None:
        """Send the exception, unless the conversion is over."""
        with lock:
            if not state["done"]:
                state["sent"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(OverBudget))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["sent"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)  # not delivered yet: withdrawn
