"""The browser editor at /admin/ of the published site, only when config.yaml says `cms: publish: true`.

/admin/ holds Decap CMS from the generator's own npm install (`make browser-deps` puts it in
node_modules/decap-cms/dist: decap-cms.js and the chunks it loads), its page and config.yml for
config.yaml's Git host. The page has its own Content-Security-Policy, in a <meta> tag and in the
host files: scripts from this site only, calls to this site and to the Git host's API only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..graph.inputs import read_input
from ..model.cms_settings import CmsSettings
from ..model.handles import Site
from ..model.yamlio import parse_yaml
from ..pages.base import Made, Recipe, file_recipe
from ..problems import Problem, Problems
from .decap import DIST

# Decap's page: its scripts, its styles (set by script), pictures it shows from blobs, and calls to this
# site (and to blob: addresses: Decap reads a picture added in the browser back from its blob: address
# before it sends it). 'unsafe-eval': Decap checks its configuration with ajv, which compiles the check
# into a function (without it Chromium shows "Error loading the CMS configuration: EvalError").
ADMIN_POLICY = (
    ("default-src", "'none'"), ("script-src", "'self' 'unsafe-eval'"), ("style-src", "'self' 'unsafe-inline'"), ("img-src", "'self' blob: data:"),
    ("connect-src", "'self' blob:"), ("font-src", "'self' data:"), ("frame-src", "'self' blob: about:"), ("child-src", "'self' blob:"),
    ("manifest-src", "'none'"), ("base-uri", "'none'"), ("form-action", "'none'"), ("frame-ancestors", "'none'"),
)
API_DEFAULTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4"}
AUTH_DEFAULTS = {"gitlab": "https://gitlab.com"}  # PKCE: the page fetches its token from the Git host itself


def admin_policy(settings: CmsSettings | None = None, meta: bool = False) -> str:
    """The editor page's policy: calls allowed to the Git host of `settings` too; `meta`: without frame-ancestors (ignored in a <meta>)."""
    extra = sorted(git_origins(settings)) if settings is not None else []
    directives = [(name, f"{value} {' '.join(extra)}" if name == "connect-src" and extra else value) for name, value in ADMIN_POLICY]
    return "; ".join(f"{name} {value}" for name, value in directives if not (meta and name == "frame-ancestors"))


def git_origins(settings: CmsSettings) -> set[str]:
    """The origins the editor calls for a Git host backend: its API, and for PKCE (GitLab, Gitea) where tokens are fetched."""
    if settings.backend == "local":
        return set()
    found = {settings.api_root or API_DEFAULTS.get(settings.backend)}
    if settings.backend != "github":
        found.add(settings.base_url or AUTH_DEFAULTS.get(settings.backend))
    return {f"{part.scheme}://{part.netloc}" for part in map(urlsplit, filter(None, found))}


def admin_page(base_path: str = "", policy: str | None = None) -> str:
    """The editor's page: Decap's script and its configuration from /admin/, a <meta> policy when given."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n' if policy else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
{meta}<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>Content editor</title>
<link href="{base_path}/admin/config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="{base_path}/admin/decap-cms.js"></script>
</body>
</html>
"""


def outputs(site: Site) -> list[Recipe]:
    """/admin/ when the settings publish it: its page, its configuration and Decap's scripts; an error when Decap is not installed."""
    config = site.config
    if not config.cms.publish:
        return []
    scripts = site.graph.get(("option", "decap"))
    shown = site.graph.resources["config_name"]
    if not scripts:
        site.graph.problem(Problem(shown, _publish_line(site, shown), "error", "cms.publish is true, but Decap CMS is not installed "
                                   "(node_modules/decap-cms/dist/decap-cms.js is missing)", "run make browser-deps"))
        return []
    found = [file_recipe("admin/index.html", "admin", ("page",), shown), file_recipe("admin/config.yml", "admin", ("config",), shown)]
    return found + [file_recipe(f"admin/{name}", "decap", (name,), shown) for name, _size, _mtime in scripts]


def _publish_line(site: Site, shown: str) -> int:
    """The line of `publish:` in the settings."""
    doc = parse_yaml((read_input(site.graph, site.root, shown) or b"").decode("utf-8", "replace"), shown, Problems())
    return doc.line(("cms", "publish")) if doc is not None else 0


def admin_file(site: Site, what: str) -> Made:
    """The editor's page or its configuration."""
    from ..tools.cms_config import config_text

    config = site.config
    if what == "config":
        return config_text(config).encode()
    return admin_page(config.base_path, admin_policy(config.cms, meta=True)).encode()


def decap_file(site: Site, name: str) -> Made:
    """One of Decap's scripts, as npm installed it."""
    site.graph.get(("option", "decap"))
    try:
        return (DIST / name).read_bytes()
    except OSError as exc:
        site.graph.problem(Problem(site.graph.resources["config_name"], 0, "error", f"{DIST / name}: {exc.strerror or exc}", "run make browser-deps"))
        return b""


KINDS = {"admin": admin_file, "decap": decap_file}
