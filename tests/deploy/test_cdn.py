"""deploy/cdn_config.py: the CloudFront headers policy and function carry the same settings as the nginx config."""

from __future__ import annotations

import json
import subprocess

import pytest
from support import load_cdn

from sitegen.publish.hosting import SECURITY_HEADERS

from .conftest import LONG_CACHE, SHORT_CACHE, require_tool


@pytest.fixture(scope="module")
def cdn():
    """deploy/cdn_config.py as a module."""
    return load_cdn()


def test_headers_policy_carries_every_security_header(cdn):
    policy = cdn.headers_policy()
    security = policy["SecurityHeadersConfig"]
    custom = {item["Header"]: item["Value"] for item in policy.get("CustomHeadersConfig", {}).get("Items", [])}
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == SECURITY_HEADERS["Referrer-Policy"]
    assert security["FrameOptions"]["FrameOption"] == SECURITY_HEADERS["X-Frame-Options"]
    assert "ContentTypeOptions" in security
    assert len(security) + len(custom) == len(SECURITY_HEADERS), "a header of sitegen.publish.hosting is missing from the policy"
    for name, value in custom.items():
        assert SECURITY_HEADERS[name] == value
    assert all(entry["Override"] for entry in security.values())
    assert policy.get("CustomHeadersConfig", {"Quantity": 0})["Quantity"] == len(custom)


def test_the_admin_policy_for_the_published_editor(cdn, capsys, tmp_path):
    """headers-policy --admin: the same headers, /admin/'s policy allowing calls to config.yaml's Git host."""
    from support import REPO

    settings = tmp_path / "config.yaml"
    settings.write_text((REPO / "config.yaml").read_text() + "cms:\n  backend: gitlab\n  repo: mib/portal\n  app_id: x\n  publish: true\n")
    assert cdn.main(["headers-policy", "--admin", "--config", str(settings)]) == 0
    policy = json.loads(capsys.readouterr().out)
    assert policy["Name"] == "mib-portal-security-headers-admin"
    assert policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"] == (
        "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
        "connect-src 'self' blob: https://gitlab.com; font-src 'self' data:; frame-src 'self' blob: about:; child-src 'self' blob:; "
        "manifest-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    assert policy["SecurityHeadersConfig"]["ReferrerPolicy"]["ReferrerPolicy"] == SECURITY_HEADERS["Referrer-Policy"]


def test_cache_control_values(cdn, capsys):
    for kind, value in (("long", LONG_CACHE), ("short", SHORT_CACHE)):
        assert cdn.main(["cache-control", kind]) == 0
        assert capsys.readouterr().out == value + "\n"


def test_cloudfront_function(cdn, tmp_path):
    """The function, run by node on sample requests: index.html for folders, slash redirects, alias redirects."""
    node = require_tool("node", "nodejs")
    (tmp_path / "_redirects.nginx").write_text("/old-news/ /news/official-launch/;\n/fr/ancien/ /fr/news/lancement/;\n"
                                               "/Actualités/Lancement.html /news/official-launch/;\n", encoding="utf-8")
    cases = {
        "/": "/index.html",
        "/news/": "/news/index.html",
        "/fr/partners/inserm/": "/fr/partners/inserm/index.html",
        "/css/style.0123456789.css": "/css/style.0123456789.css",
        "/news": "301 /news/",
        "/fr": "301 /fr/",
        "/old-news/": "301 /news/official-launch/",
        "/fr/ancien/": "301 /fr/news/lancement/",
        "/Actualit%C3%A9s/Lancement.html": "301 /news/official-launch/",  # CloudFront sees the address percent-encoded
        "/_redirects": "/__not_published__",
        "/.git/config": "/__not_published__",
    }
    harness = (
        cdn.cloudfront_function(tmp_path)
        + "\nvar out = {};\n"
        + f"{json.dumps(list(cases))}.forEach(function (uri) {{\n"
        + "  var r = handler({request: {uri: uri, querystring: {}, headers: {}}});\n"
        + "  out[uri] = r.statusCode ? r.statusCode + ' ' + r.headers.location.value : r.uri;\n"
        + "});\nconsole.log(JSON.stringify(out));\n"
    )
    script = tmp_path / "function.js"
    script.write_text(harness)
    done = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == cases
