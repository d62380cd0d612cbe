"""The browser editor's page, /admin/ of the preview server only: Decap CMS from the npm package, with its own CSP.

The script comes from node_modules/decap-cms/dist of the generator's own install (`make
browser-deps` puts it there), never from another site; the configuration is made from the models
at each request, so it always matches the build. The published site has no /admin/.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model.config import Config
from .cms_config import config_text

DIST = Path(__file__).resolve().parents[2] / "node_modules" / "decap-cms" / "dist"
SCRIPT = re.compile(r"/admin/((?:[0-9]+\.)?decap-cms\.js)")
# Decap's page: its scripts, its styles (set by script), pictures it shows from blobs, and calls
# to this server only (and to blob: addresses: Decap reads a picture added in the browser back from
# its blob: address before it sends it; Chromium refused "Failed to fetch" without it). 'unsafe-eval' is needed: Decap checks its configuration with ajv, which compiles
# the check into a function (without it Chromium shows "Error loading the CMS configuration: EvalError").
ADMIN_CSP = ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
             "connect-src 'self' blob:; font-src 'self' data:; frame-src 'self' blob: about:; child-src 'self' blob:; "
             "manifest-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
ADMIN_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>Content editor</title>
<link href="/admin/config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="/admin/decap-cms.js"></script>
</body>
</html>
"""
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
