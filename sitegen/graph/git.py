"""git, run the one way the engine runs it: no pager, colours, signatures or file-system monitor, bounded in time.

A missing git, a folder outside any repository, a failure or a hang all give None: git only ever
adds information (build.json's commit, the translation report's history), a build never needs it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

OPTIONS = ("-c", "core.quotepath=off", "-c", "core.fsmonitor=false", "-c", "log.showSignature=false", "-c", "color.ui=false",
           "-c", "core.pager=cat")
TIMEOUT = 20  # seconds


def run_git(folder: Path, *args: str, stdin: bytes | None = None, timeout: float = TIMEOUT) -> bytes | None:
    """git's output run in a folder, or None when git is missing, fails or takes longer than `timeout`."""
    command = ["git", *OPTIONS, "-C", str(folder), *args]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
