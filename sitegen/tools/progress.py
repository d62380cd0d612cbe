"""A progress display for long builds on a terminal (rich); silent in CI, with -q, or when piped."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Any


class Progress:
    """Stages with counts; shows itself only when a build has run for more than a second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        """Enabled on an interactive terminal, outside CI, unless quiet."""
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        return cls(interactive and not quiet)

    @contextmanager
    def stage(self, name: str, total: int):
        """A stage of `total` items; yields a function to advance it."""
        if self.enabled and self._bar is None and time.monotonic() - self.started > 1.0:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
            self._bar.start()
        if self._bar is not None:
            self._task = self._bar.add_task(name, total=max(total, 1))
        try:
            yield self.advance
        finally:
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, completed=max(total, 1))

    def advance(self, count: int = 1) -> None:
        """Count items done in the current stage."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, count)

    def close(self) -> None:
        """Remove the display."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
