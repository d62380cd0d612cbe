"""Settings for production hosting, and the host files made from them (_headers, _redirects)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.config import load_config
from ..problems import Problems
from .output import Output

if TYPE_CHECKING:
    from ..pages.routes import Route

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
    problems = Problems()
    config = load_config(config_path, problems)
    if config is None or problems.errors:
        raise ValueError("; ".join(str(p) for p in problems.errors) or f"cannot read {config_path}")
    return list(config.iframe_allow)


CSP = content_security_policy()  # with no iframe host allowed
SECURITY_HEADERS = security_headers()

# Fingerprinted assets never change under one name: cache them for a year.
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300, must-revalidate"


def redirects(routes: list[Route]) -> list[tuple[str, str]]:
    """(alias, target) for every alias, sorted."""
    return sorted((r.url, r.context["target"]) for r in routes if r.template == "redirect.html")


def host_files(routes: list[Route], base_path: str, fingerprinted: list[str], prefixes: list[str] = (),
               frame_hosts: Iterable[str] = ()) -> list[Output]:
    """Netlify / Cloudflare Pages `_headers` and `_redirects`, and an nginx map of the redirects."""
    pairs = redirects(routes)
    # Security headers on every path; a long lifetime only for content-hashed files (hosts
    # merge the matching blocks, so Cache-Control is set in one block per file, never twice).
    header_lines = [f"{base_path}/*"] + [f"  {k}: {v}" for k, v in security_headers(frame_hosts).items()]
    for path in sorted(fingerprinted):
        header_lines += [f"{base_path}/{path}", f"  Cache-Control: {LONG_CACHE}"]
    redirect_lines = [f"{base_path}{alias} {base_path}{target} 301" for alias, target in pairs]
    # Netlify serves only /404.html by itself: each other language gets its own (Cloudflare Pages
    # skips these lines and finds the nearest 404.html on its own).
    redirect_lines += [f"{base_path}{prefix}/* {base_path}{prefix}/404.html 404" for prefix in prefixes]
    nginx_lines = [f"{base_path}{alias} {base_path}{target};" for alias, target in pairs]
    return [
        Output("_headers", ("\n".join(header_lines) + "\n").encode(), "sitegen/hosting.py"),
        Output("_redirects", ("\n".join(redirect_lines) + "\n").encode(), "content"),
        Output("_redirects.nginx", ("\n".join(nginx_lines) + "\n").encode(), "content"),
    ]
