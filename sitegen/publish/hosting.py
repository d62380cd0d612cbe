"""Settings for production hosting, and the host files made from them (_headers, _redirects)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..checks.names import NAME_HINT, check_name
from ..model.config import Config, load_config
from ..problems import Problem, Problems

if TYPE_CHECKING:
    from ..model.handles import Site
    from ..pages.base import Recipe

# The Content-Security-Policy, in one place: sent as a header by the hosts that can (_headers, nginx,
# CloudFront) and written into every page as <meta http-equiv> for those that cannot (GitHub Pages, the
# preview server). frame-src is added for the hosts of config.yaml's iframe_allow.
POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
HEADER_ONLY = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})  # browsers ignore these in a <meta> policy


def content_security_policy(frame_hosts: Iterable[str] = (), meta: bool = False) -> str:
    """The policy: frames allowed from https://<host> for each of `frame_hosts`; `meta`: without the header-only directives."""
    directives = list(POLICY)
    hosts = sorted(set(frame_hosts))
    if hosts:
        at = next(i for i, (name, _) in enumerate(directives) if name == "connect-src") + 1
        directives.insert(at, ("frame-src", " ".join(f"https://{host}" for host in hosts)))
    return "; ".join(f"{name} {value}" for name, value in directives if not (meta and name in HEADER_ONLY))


def security_headers(frame_hosts: Iterable[str] = ()) -> dict[str, str]:
    """Every security header, the CSP allowing frames from `frame_hosts` (config.yaml's iframe_allow)."""
    return {
        "Content-Security-Policy": content_security_policy(frame_hosts),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "X-Frame-Options": "DENY",
        "Strict-Transport-Security": "max-age=31536000",
    }


def frame_hosts_of(config_path: Path) -> list[str]:
    """config.yaml's iframe_allow, for the deploy scripts that render the headers; ValueError when it cannot be read."""
    return list(_settings(config_path).iframe_allow)


def admin_policy_of(config_path: Path) -> str:
    """/admin/'s policy for config.yaml's Git host (cms:), for the deploy scripts; ValueError when it cannot be read."""
    from .admin import admin_policy

    return admin_policy(_settings(config_path).cms)


def _settings(config_path: Path) -> Config:
    """The settings of a config.yaml; ValueError when it cannot be read."""
    problems = Problems()
    config = load_config(config_path, problems)
    if config is None or problems.errors:
        raise ValueError("; ".join(str(p) for p in problems.errors) or f"cannot read {config_path}")
    return config


CSP = content_security_policy()  # with no iframe host allowed
SECURITY_HEADERS = security_headers()

# Fingerprinted assets never change under one name: cache them for a year.
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300, must-revalidate"


def host_texts(pairs: list[tuple[str, str]], base_path: str, fingerprinted: list[str], prefixes: list[str],
               frame_hosts: Iterable[str] = (), admin: str | None = None) -> dict[str, bytes]:
    """The bytes of `_headers`, `_redirects` and `_redirects.nginx` (every path already checked by `fits`); `admin`: /admin/'s own policy."""
    # Security headers on every path; a long lifetime only for content-hashed files (hosts
    # merge the matching blocks, so Cache-Control is set in one block per file, never twice).
    header_lines = [f"{base_path}/*"] + [f"  {k}: {v}" for k, v in security_headers(frame_hosts).items()]
    if admin:  # the published editor (cms: publish: true): a later block's header replaces the one of /* (Netlify)
        header_lines += [f"{base_path}/admin/*", f"  Content-Security-Policy: {admin}"]
    for path in sorted(fingerprinted):
        header_lines += [f"{base_path}/{path}", f"  Cache-Control: {LONG_CACHE}"]
    # Netlify and Cloudflare match the address as browsers send it, percent-encoded; nginx's $uri is decoded.
    redirect_lines = [f"{quote(base_path + alias, safe='/@')} {quote(base_path + target, safe='/@')} 301" for alias, target in pairs]
    # Netlify serves only /404.html by itself: each other language gets its own (Cloudflare Pages
    # skips these lines and finds the nearest 404.html on its own).
    redirect_lines += [f"{base_path}{prefix}/* {base_path}{prefix}/404.html 404" for prefix in prefixes]
    nginx_lines = [f"{base_path}{alias} {base_path}{target};" for alias, target in pairs]
    return {name: ("\n".join(lines) + "\n").encode() for name, lines in
            (("_headers", header_lines), ("_redirects", redirect_lines), ("_redirects.nginx", nginx_lines))}


HOST_FILES = {"_headers": "sitegen/publish/hosting.py", "_redirects": "content", "_redirects.nginx": "content"}


def outputs(site: Site) -> list[Recipe]:
    """The host files, at the root."""
    from ..pages.base import file_recipe

    return [file_recipe(name, "host", (name,), source) for name, source in HOST_FILES.items()]


def host_file(site: Site, name: str) -> bytes:
    """One host file, made from the redirect pages and the fingerprinted files of the site."""
    from ..pages.moved import moved_files
    from ..pages.registry import PAGE_KINDS, recipes_of
    from .admin import admin_policy

    config = site.config
    recipes = recipes_of(site)
    redirects = sorted([(r.url, site.page(r.args[0]).url if r.kind == "redirect" else r.args[1], r.source, r.line)
                        for r in recipes if r.kind in ("redirect", "moved")] + moved_files(site, recipes, PAGE_KINDS))
    fingerprinted = [(r.path, r.source) for r in recipes if r.kind == "static" and r.args[0] != "static/" + r.path]
    prefixes = [config.prefix(lang) for lang in config.langs if config.prefix(lang)]
    admin = admin_policy(config.cms) if config.cms.publish else None
    return checked_host_texts(redirects, config.base_path, fingerprinted, prefixes, site.graph.problem, config.iframe_allow, admin)[name]


def checked_host_texts(redirects: list[tuple[str, str, str, int]], base_path: str, fingerprinted: list[tuple[str, str]],
                       prefixes: list[str], report: Callable[[Problem], None], frame_hosts: Iterable[str] = (), admin: str | None = None) -> dict[str, bytes]:
    """The host files, leaving out (with an error given to `report`) any path their syntax would misread.

    A last line of defence: names and aliases are checked where they are read. `redirects` are
    (alias, target, source, line), `fingerprinted` (path, source).
    """
    def fits(source: str, line: int, *paths: str) -> bool:
        """Whether these paths keep the host files' syntax."""
        reason = next(filter(None, (check_name(path) or ("" if path.startswith("/") else "it does not start with '/'") for path in paths)), None)
        if reason is None:
            return True
        report(Problem(source, line, "error", f"the address {' -> '.join(paths)!r} cannot go into the host files: {reason}", NAME_HINT))
        return False

    pairs = [(alias, target) for alias, target, source, line in redirects if fits(source, line, base_path + alias, base_path + target)]
    static = [path for path, source in fingerprinted if fits(source, 0, f"{base_path}/{path}")]
    return host_texts(pairs, base_path, static, [prefix for prefix in prefixes if fits("config.yaml", 0, base_path + prefix)], frame_hosts, admin)


KINDS = {"host": host_file}
