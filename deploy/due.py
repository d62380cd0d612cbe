"""Is a rebuild due? Reads the published site's build.json and says whether its `next_change` has passed.

The CI workflow runs it every hour (see .github/workflows/site.yml and docs/hosting.md): an event that
starts, a call that closes or a scheduled article then gets its rebuild within the hour, and the hours
with nothing to change cost one small download. Usage:

    python3 deploy/due.py [SITE_URL]     # prints "due=true" or "due=false" (for $GITHUB_OUTPUT)

SITE_URL defaults to $SITE_BASE_URL, else `base_url` in config.yaml. When build.json cannot be read
(the first deploy, a network failure) a rebuild is due: rebuilding is always safe. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "config.yaml"
TIMEOUT = 30  # seconds


def site_url(argv: list[str]) -> str:
    """The published address: the argument, else $SITE_BASE_URL, else config.yaml's `base_url` line."""
    if argv:
        return argv[0]
    if os.environ.get("SITE_BASE_URL"):
        return os.environ["SITE_BASE_URL"]
    found = re.search(r"^base_url:\s*[\"']?([^\"'\s#]+)", CONFIG.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1) if found else ""


def is_due(url: str, now: float) -> bool:
    """True when the site at `url` says a page's state changes at or before `now`, or cannot say."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/build.json", timeout=TIMEOUT) as response:
            data = json.load(response)
        moment = data.get("next_change")
        return moment is not None and datetime.fromisoformat(moment.replace("Z", "+00:00")).timestamp() <= now
    except (OSError, ValueError, AttributeError):
        return True


def main(argv: list[str]) -> int:
    """Print due=true or due=false."""
    print(f"due={'true' if is_due(site_url(argv), time.time()) else 'false'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
