"""Production hosting settings and the host files made from them (_headers, _redirects, _redirects.nginx)."""

from sitegen.publish.hosting import LONG_CACHE, SECURITY_HEADERS, SHORT_CACHE, checked_host_texts, host_texts

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def test_the_headers_and_lifetimes_every_host_sends():
    """Written out here: nginx, the CDN script and the host files are all made from these values."""
    assert SECURITY_HEADERS == {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "X-Frame-Options": "DENY",
        "Strict-Transport-Security": "max-age=31536000",
    }
    assert (LONG_CACHE, SHORT_CACHE) == ("public, max-age=31536000, immutable", "public, max-age=300, must-revalidate")


REDIRECTS = [("/old/b/", "/news/b/", "content/news/b.md", 4), ("/fr/ancien/", "/fr/news/a/", "content/news/a.fr.md", 5)]


def test_host_files_under_a_base_path():
    problems = []
    files = {name: data.decode() for name, data in checked_host_texts(
        sorted(REDIRECTS), "/portal", [("css/style.0123456789.css", "static/css/style.css")], ["/fr"], problems.append).items()}
    assert problems == []
    assert sorted(files) == ["_headers", "_redirects", "_redirects.nginx"]
    assert files["_headers"] == "\n".join(
        ["/portal/*", *(f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()),
         "/portal/css/style.0123456789.css", f"  Cache-Control: {LONG_CACHE}"]) + "\n"
    assert files["_redirects"] == ("/portal/fr/ancien/ /portal/fr/news/a/ 301\n/portal/old/b/ /portal/news/b/ 301\n"
                                   "/portal/fr/* /portal/fr/404.html 404\n")
    assert files["_redirects.nginx"] == "/portal/fr/ancien/ /portal/fr/news/a/;\n/portal/old/b/ /portal/news/b/;\n"


def test_host_files_without_aliases():
    files = {name: data.decode() for name, data in host_texts([], "", [], []).items()}
    assert files["_redirects"] == files["_redirects.nginx"] == "\n"
    assert files["_headers"].splitlines()[0] == "/*" and "Cache-Control" not in files["_headers"]


def test_frames_allowed_by_config_are_allowed_by_the_policy():
    headers = host_texts([], "", [], [], ["video.example.org"])["_headers"].decode()
    assert "frame-src https://video.example.org;" in headers
