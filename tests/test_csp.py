"""One Content-Security-Policy for every host (issue #18, item 6).

The policy lives in sitegen/publish/hosting.py. Hosts that send headers get it from _headers, nginx and
CloudFront; every page also carries it in <meta http-equiv>, without the directives browsers ignore
there, so GitHub Pages and the preview (no headers) apply it too. Frames from config.yaml's
iframe_allow are allowed by it everywhere. The browser side is tests/browser/test_csp.py.
"""

from __future__ import annotations

import json
import re
import sys
from html import unescape

import pytest
from support import REPO, load_cli, make_site, tree

cli = load_cli()
sys.path.insert(0, str(REPO / "deploy"))
import cdn_config  # noqa: E402
import render_nginx  # noqa: E402

from sitegen.publish.hosting import CSP, SECURITY_HEADERS, content_security_policy, security_headers  # noqa: E402

BEFORE = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
WITH_FRAMES = BEFORE.replace("connect-src 'self'; ", "connect-src 'self'; frame-src https://a.example.org https://video.example.org; ")
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def test_the_policy_without_frames_is_the_one_hosts_had():
    """No iframe host: the header is exactly the policy every host sent before."""
    assert CSP == content_security_policy() == SECURITY_HEADERS["Content-Security-Policy"] == BEFORE


def test_iframe_hosts_are_allowed_as_https_frames_once_each_sorted():
    """Each host of iframe_allow becomes https://host in frame-src, in a stable order."""
    assert content_security_policy(["video.example.org", "a.example.org", "video.example.org"]) == WITH_FRAMES
    assert security_headers(["video.example.org", "a.example.org"])["Content-Security-Policy"] == WITH_FRAMES


def test_the_meta_policy_leaves_out_what_browsers_ignore_there():
    """frame-ancestors (and report-uri, report-to, sandbox) only work as a header: not in the meta policy."""
    meta = content_security_policy(["video.example.org"], meta=True)
    assert "frame-ancestors" not in meta and meta == content_security_policy(["video.example.org"]).removesuffix("; frame-ancestors 'none'")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site (iframe_allow: [video.example.org]) built once; its published files."""
    site = make_site(tmp_path_factory.mktemp("csp"))
    cli.build(cli.Options(config=site / "config.yaml", output=site / "public", search=False))
    return tree(site / "public")


def test_every_page_carries_the_policy_first_in_its_head(built):
    """Every HTML page (redirects and 404s included) has the meta policy right after its charset, before any script or style."""
    pages = {path: data.decode() for path, data in built.items() if path.endswith(".html")}
    assert len(pages) > 20
    expected = content_security_policy(["video.example.org"], meta=True)
    for path, html in pages.items():
        found = META.findall(html)
        assert [unescape(value) for value in found] == [expected], path
        head = html[: html.index("</head>")]
        assert head.index('<meta charset="utf-8">') < head.index("Content-Security-Policy") < min(
            (head.index(tag) for tag in ("<script", "<link", "<style") if tag in head), default=len(head)), path


def test_headers_file_nginx_and_cdn_send_the_same_policy(built, tmp_path):
    """_headers (Netlify, Cloudflare Pages), nginx.conf and the CloudFront policy: one value, with the site's frame hosts."""
    header = content_security_policy(["video.example.org"])
    assert f"  Content-Security-Policy: {header}" in built["_headers"].decode().splitlines()
    conf = render_nginx.render(render_nginx.Settings(frame_hosts=("video.example.org",)))
    assert f'add_header Content-Security-Policy "{header}" always;' in conf
    policy = cdn_config.headers_policy(frame_hosts=("video.example.org",))
    assert policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"] == header


def test_deploy_scripts_read_the_frame_hosts_from_config(tmp_path, capsys):
    """render_nginx.py and cdn_config.py take --config: the site's iframe_allow reaches the header."""
    site = make_site(tmp_path)
    assert render_nginx.main(["--config", str(site / "config.yaml")]) == 0
    assert "frame-src https://video.example.org;" in capsys.readouterr().out
    assert cdn_config.main(["headers-policy", "--config", str(site / "config.yaml")]) == 0
    policy = json.loads(capsys.readouterr().out)
    assert "frame-src https://video.example.org;" in policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]


def test_the_shipped_nginx_example_follows_the_repository_config():
    """deploy/nginx.conf is rendered with the repository's iframe_allow (render_nginx.py --check passes)."""
    assert render_nginx.main(["--check"]) == 0
