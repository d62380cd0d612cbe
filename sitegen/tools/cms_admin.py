"""The browser editor's page, /admin/ of the preview server only: Decap CMS from the npm package, with its own CSP.

The script comes from node_modules/decap-cms/dist of the generator's own install (`make
browser-deps` puts it there), never from another site; the configuration is made from the models
at each request, so it always matches the build. The published site has an /admin/ only when
config.yaml says `cms: publish: true` (publish/admin.py).
"""

from __future__ import annotations

import re

from ..model.config import Config
from ..publish.admin import DIST, admin_page, admin_policy
from .cms_config import config_text

SCRIPT = re.compile(r"/admin/((?:[0-9]+\.)?decap-cms\.js)")
ADMIN_CSP = admin_policy()  # the page's own policy: see publish/admin.py
ADMIN_PAGE = admin_page()
MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Content editor unavailable</title></head>
<body><main><h1>The content editor is not installed</h1>
<p>Run <code>make browser-deps</code> (it installs Decap CMS from npm into node_modules/), then reload this page.</p>
</main></body></html>
"""


def admin_file(path: str, config: Config | None) -> tuple[int, str, bytes]:
    """(status, content type, body) for a path under /admin/."""
    if path in ("/admin", "/admin/", "/admin/index.html"):
        if not (DIST / "decap-cms.js").is_file():
            return 503, "text/html; charset=utf-8", MISSING.encode()
        return 200, "text/html; charset=utf-8", ADMIN_PAGE.encode()
    if path == "/admin/config.yml":
        if config is None:
            return 503, "text/plain; charset=utf-8", b"config.yaml has errors: the editor needs a site that builds\n"
        return 200, "text/yaml; charset=utf-8", config_text(config, local=True).encode()
    found = SCRIPT.fullmatch(path)
    if found:
        try:
            return 200, "text/javascript; charset=utf-8", (DIST / found.group(1)).read_bytes()
        except OSError:
            pass
    return 404, "text/plain; charset=utf-8", b"not found\n"
