"""Settings for production hosting, and the host files made from them (_headers, _redirects)."""

from __future__ import annotations

from ..pages.routes import Route
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
    return sorted((r.url, r.context["target"]) for r in routes if r.template == "redirect.html")


def host_files(routes: list[Route], base_path: str, fingerprinted: list[str], prefixes: list[str] = ()) -> list[Output]:
    """Netlify / Cloudflare Pages `_headers` and `_redirects`, and an nginx map of the redirects."""
    pairs = redirects(routes)
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
