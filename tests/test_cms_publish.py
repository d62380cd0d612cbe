"""/admin/ in the published site: only with `cms: publish: true`, with its own policy, and never without Decap installed."""

from __future__ import annotations

from html import unescape

import pytest
from support import REPO, make_site, run_cli, tree

from sitegen.model.config import load_config
from sitegen.problems import Problems
from sitegen.publish import admin, decap
from sitegen.publish.hosting import content_security_policy
from sitegen.tools.cms_config import config_text

GITHUB = "cms:\n  backend: github\n  repo: mib-cluster/portal\n  base_url: https://auth.mib.example.org\n  publish: true\n"
ADMIN_POLICY = ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
                "connect-src 'self' blob: https://api.github.com; font-src 'self' data:; frame-src 'self' blob: about:; child-src 'self' blob:; "
                "manifest-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def site_with(tmp_path, section: str):
    """The sample site with a `cms:` section added to its settings; the line of its `publish:` (its last line)."""
    site = make_site(tmp_path)
    settings = (site / "config.yaml").read_text() + section
    (site / "config.yaml").write_text(settings)
    return site, settings.count("\n")


def test_without_the_option_nothing_of_admin_is_published(tmp_path):
    """The default: no admin/ folder, and _headers has the site's policy only."""
    site = make_site(tmp_path)
    assert run_cli(site).returncode == 0
    assert not (site / "public/admin").exists()
    assert "/admin/" not in (site / "public/_headers").read_text()


@pytest.mark.npm  # Decap's files come from node_modules/
def test_published_admin_has_the_editor_its_configuration_and_its_own_policy(tmp_path):
    """publish: true: the page (its policy in a <meta>), config.yml for GitHub, Decap's scripts as installed; _headers gives /admin/* its policy."""
    site, _line = site_with(tmp_path, GITHUB)
    done = run_cli(site)
    assert done.returncode == 0, done
    public = site / "public"
    meta = ADMIN_POLICY.removesuffix("; frame-ancestors 'none'")
    assert (public / "admin/index.html").read_text() == (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{meta}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="robots" content="noindex">\n'
        '<link rel="icon" href="data:,">\n<title>Content editor</title>\n<link href="/admin/config.yml" type="text/yaml" rel="cms-config-url">\n'
        '</head>\n<body>\n<script src="/admin/decap-cms.js"></script>\n</body>\n</html>\n')
    assert (public / "admin/config.yml").read_text() == config_text(load_config(site / "config.yaml", Problems()))
    scripts = sorted(path.name for path in decap.DIST.iterdir() if decap.SCRIPT.fullmatch(path.name))
    assert sorted(path.name for path in (public / "admin").iterdir()) == sorted(["index.html", "config.yml", *scripts])
    assert (public / "admin/decap-cms.js").read_bytes() == (REPO / "node_modules/decap-cms/dist/decap-cms.js").read_bytes()
    headers = (public / "_headers").read_text().splitlines()
    at = headers.index("/admin/*")
    assert headers[at: at + 2] == ["/admin/*", f"  Content-Security-Policy: {ADMIN_POLICY}"]
    assert headers[1] == f"  Content-Security-Policy: {content_security_policy(['video.example.org'])}"  # the site's, everywhere else
    home = unescape((public / "index.html").read_text())  # the site's pages keep the site's policy
    assert f'content="{content_security_policy(["video.example.org"], meta=True)}"' in home


@pytest.mark.npm
def test_without_decap_installed_the_build_fails_at_the_settings_line(tmp_path, monkeypatch):
    """publish: true without node_modules/decap-cms: one error at config.yaml's publish line naming make browser-deps; nothing published."""
    site, line = site_with(tmp_path, GITHUB)
    assert run_cli(site).returncode == 0
    before = tree(site / "public")
    (site / "content/news/first-award.md").write_text((site / "content/news/first-award.md").read_text().replace("received", "got"))
    monkeypatch.setattr(decap, "DIST", tmp_path / "no-node-modules")
    done = run_cli(site)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        f"config.yaml:{line}: error: cms.publish is true, but Decap CMS is not installed (node_modules/decap-cms/dist/decap-cms.js is missing) "
        "(run make browser-deps)", "1 error, 0 warnings", "build failed: nothing was published"]
    assert tree(site / "public") == before
    monkeypatch.undo()  # installed again: the next build publishes, the editor included
    assert run_cli(site).returncode == 0 and (site / "public/admin/decap-cms.js").is_file()


def test_gitlab_and_gitea_pages_may_call_their_git_host_only():
    """The policy's connect-src: this site, blob:, and the Git host's API and token addresses."""
    def policy(section: str) -> str:
        config = load_config_text(section)
        return next(part for part in admin.admin_policy(config.cms).split("; ") if part.startswith("connect-src"))

    assert policy("cms:\n  backend: gitlab\n  repo: a/b\n  app_id: x\n") == "connect-src 'self' blob: https://gitlab.com"
    assert policy("cms:\n  backend: gitea\n  repo: a/b\n  app_id: x\n  base_url: https://git.example.org\n  api_root: https://api.example.org:8443/api/v1\n") == (
        "connect-src 'self' blob: https://api.example.org:8443 https://git.example.org")


def load_config_text(section: str):
    """The repository's settings with a `cms:` section."""
    from sitegen.model.config import parse_config

    return parse_config((REPO / "config.yaml").read_text() + section, "config.yaml", Problems())
