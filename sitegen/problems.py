"""Problems found in an editor's files, reported together as `path:line: level: message`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one line when known."""

    path: str
    line: int
    level: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{visible(self.path)}:{self.line}" if self.line else visible(self.path)
        text = f"{where}: {self.level}: {visible(self.message)}" if where else f"{self.level}: {visible(self.message)}"
        return f"{text} ({visible(self.hint)})" if self.hint else text

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.level == ERROR


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127]} | {10: "\\n", 13: "\\r", 9: "\\t"}


def visible(text: str) -> str:
    """Control characters written as escapes, so every problem stays on one line."""
    return text.translate(_CONTROL)


class Problems(list):
    """A list of problems with shortcuts to add errors and warnings."""

    def error(self, path: str | Path, line: int, message: str, hint: str = "") -> None:
        """Record an error."""
        self.append(Problem(str(path), line or 0, ERROR, message, hint))

    def warning(self, path: str | Path, line: int, message: str, hint: str = "") -> None:
        """Record a warning."""
        self.append(Problem(str(path), line or 0, WARNING, message, hint))

    @property
    def errors(self) -> list[Problem]:
        """The errors only."""
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The warnings only."""
        return [p for p in self if not p.is_error]


class BuildFailed(Exception):
    """Raised when a build stops on problems; carries them all."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def __reduce__(self):
        """Pickled with its problems (raised in a helper process, it reaches the build whole)."""
        return type(self), (self.problems,)


class UsageError(Exception):
    """A command-line option the build refuses: printed as `error: message (hint)`, exit status 2."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        text = f"error: {visible(self.message)}"
        return f"{text} ({visible(self.hint)})" if self.hint else text


def summary_line(problems: list[Problem]) -> str:
    """'2 errors, 1 warning' style count."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Problems by path then line, duplicates removed."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.level, p.message))


BROKEN_HINT = "fix the address, or create the page it points to"
UNPUBLISHED = "that page is not published: "  # how a broken link's reason starts when the site knows why its page is not built
# What the editor does about a link to a page that is not published, by why it is not: how the reason ends (a file
# name before it may hold any of these words).
UNPUBLISHED_HINTS = (
    (re.compile(r" has errors\Z"), "fix that file's errors, reported with the others: its page is then published and the link works"),
    (re.compile(r" is a draft\Z"), "remove 'draft: true' from that file's front matter to publish its page, or remove the link"),
    (re.compile(r" is scheduled for \d{4}-\d{2}-\d{2}\Z"), "publish this page on or after that day too, or remove the link until then"),
    (re.compile(r" both use that address\Z"), "give one of those files another slug, then point the link at the page you mean"),
)


def broken_hint(reason: str) -> str:
    """The hint of a broken link's problem, for why the link does not resolve."""
    if reason.startswith(UNPUBLISHED):
        for ending, hint in UNPUBLISHED_HINTS:
            if ending.search(reason):
                return hint
    return BROKEN_HINT
TEMPLATE_THRESHOLD = 5  # pages with one broken link and no content file holding it: it comes from a template


def merge_broken(problems: list[Problem]) -> list[Problem]:
    """Broken links found on many pages and in no content file come from a template: one problem for each."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    kept = []
    for problem in problems:
        match = _BROKEN.fullmatch(problem.message) if problem.line == 0 else None
        if match and problem.hint == broken_hint(match["reason"]):
            groups.setdefault((match["link"], match["reason"]), []).append(problem)
        else:
            kept.append(problem)
    for (link, reason), found in groups.items():
        if len(found) <= TEMPLATE_THRESHOLD:
            kept += found
            continue
        pages = sorted(_BROKEN.fullmatch(p.message)["page"] for p in found)
        kept.append(Problem("templates", 0, "error", f"broken link '{link}' on {len(found)} pages (first /{pages[0]}): {reason}",
                            "the link is in no content file, so it comes from a template or a data file: " + broken_hint(reason)))
    return kept


_BROKEN = re.compile(r"broken link '(?P<link>.*)' on /(?P<page>\S*): (?P<reason>.*)", re.S)


def merge_repeats(found: list[Problem]) -> list[Problem]:
    """One problem per template line: '(while rendering /a/ and 12 other pages)'."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in found:
        head, _, _url = problem.message.rpartition(" (while rendering ")
        groups.setdefault((problem.path, problem.line, problem.level, head or problem.message), []).append(problem)
    merged = []
    for (path, line, level, head), items in groups.items():
        if len(items) == 1:
            merged.append(items[0])
            continue
        first = min(p.message.rpartition(" (while rendering ")[2].rstrip(")") for p in items)
        merged.append(Problem(path, line, level, f"{head} (while rendering {first} and {len(items) - 1} other page{'s' * (len(items) > 2)})", items[0].hint))
    return merged
