"""Settings for production hosting, and the host files made from them (_headers, _redirects)."""

from __future__ import annotations

from collections.abc import Callable

from ..checks.names import NAME_HINT, check_name
from ..pages.routes import Route
from ..problems import Problems
from .output import Output

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=31536000",
}

# Fingerprinted assets never change under one name: cache them for a year.
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300, must-revalidate"


def redirects(routes: list[Route]) -> list[tuple[str, str]]:
    """(alias, target) for every alias, sorted."""
    return sorted((r.url, r.context["target"]) for r in _redirect_routes(routes))


def host_files(routes: list[Route], base_path: str, fingerprinted: list[str], prefixes: list[str] = (),
               problems: Problems | None = None) -> list[Output]:
    """Netlify / Cloudflare Pages `_headers` and `_redirects`, and an nginx map of the redirects.

    A path these files' syntax would misread (a line break, a space, '#', '*', ':', ';'...) is left
    out with an error in `problems` (a ValueError without them): a last line of defence, as names
    and aliases are checked where they are read.
    """
    fits = _checker(problems)
    pairs = [(r.url, r.context["target"]) for r in sorted(_redirect_routes(routes), key=lambda r: (r.url, r.context["target"]))
             if fits(r.source, r.line, base_path + r.url, base_path + r.context["target"])]
    fingerprinted = [path for path in fingerprinted if fits(f"static/{path}", 0, f"{base_path}/{path}")]
    prefixes = [prefix for prefix in prefixes if fits("config.yaml", 0, base_path + prefix)]
    # Security headers on every path; a long lifetime only for content-hashed files (hosts
    # merge the matching blocks, so Cache-Control is set in one block per file, never twice).
    header_lines = [f"{base_path}/*"] + [f"  {k}: {v}" for k, v in SECURITY_HEADERS.items()]
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


def _redirect_routes(routes: list[Route]) -> list[Route]:
    """The routes of aliases."""
    return [r for r in routes if r.template == "redirect.html"]


def _checker(problems: Problems | None) -> Callable[..., bool]:
    """fits(source, line, *paths): True when every path can be written into the host files, else an error about the source."""
    def fits(source: str, line: int, *paths: str) -> bool:
        """Whether these paths keep the host files' syntax."""
        reason = next(filter(None, (check_name(path) or ("" if path.startswith("/") else "it does not start with '/'") for path in paths)), None)
        if reason is None:
            return True
        if problems is None:
            raise ValueError(f"{source}: {paths!r} cannot go into the host files: {reason}")
        problems.error(source, line, f"the address {' -> '.join(paths)!r} cannot go into the host files: {reason}", NAME_HINT)
        return False
    return fits
