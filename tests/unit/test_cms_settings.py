"""config.yaml's `cms:` section: the Decap configuration written for each Git host, and the messages for bad values."""

from __future__ import annotations

import pytest
import yaml
from support import REPO

from sitegen.model.config import parse_config
from sitegen.problems import Problems
from sitegen.tools.cms_config import cms_config, config_text

SETTINGS = (REPO / "config.yaml").read_text()
CMS_LINE = SETTINGS.count("\n") + 1  # the line of `cms:` appended to the repository's settings


def settings(section: str):
    """The repository's settings with a `cms:` section; (config or None, problem lines)."""
    problems = Problems()
    config = parse_config(SETTINGS + section, "config.yaml", problems)
    return config, [str(problem) for problem in problems]


def backend_of(section: str) -> str:
    """The beginning of the generated config.yml for a `cms:` section, up to its media folder."""
    config, problems = settings(section)
    assert problems == []
    text = config_text(config)
    return text[: text.index("media_folder:")]


HEADER = "# Made by 'python build.py cms' from the models the build validates with: do not edit by hand.\n"


def test_github_logs_in_through_an_oauth_server_and_drafts_are_pull_requests():
    """GitHub: the repository, its branch, the OAuth server; the editorial workflow by default."""
    assert backend_of("cms:\n  backend: github\n  repo: mib-cluster/portal\n  base_url: https://auth.mib.example.org\n") == HEADER + (
        "backend:\n  name: github\n  repo: mib-cluster/portal\n  branch: main\n  base_url: https://auth.mib.example.org\n"
        "publish_mode: editorial_workflow\n")


def test_github_enterprise_with_its_api_and_an_auth_path():
    """api_root and auth_endpoint are written when given; publish_mode simple writes none (Decap's default)."""
    section = ("cms:\n  backend: github\n  repo: mib/portal\n  branch: content\n  base_url: https://auth.example.org/\n  auth_endpoint: oauth/auth\n"
               "  api_root: https://git.example.org/api/v3\n  publish_mode: simple\n")
    assert backend_of(section) == HEADER + (
        "backend:\n  name: github\n  repo: mib/portal\n  branch: content\n  base_url: https://auth.example.org\n  auth_endpoint: oauth/auth\n"
        "  api_root: https://git.example.org/api/v3\n")


def test_gitlab_logs_in_with_pkce():
    """GitLab: PKCE with the application's id; a self-hosted GitLab's address and API."""
    assert backend_of("cms:\n  backend: gitlab\n  repo: mib/web/portal\n  app_id: 0a1b2c3d\n") == HEADER + (
        "backend:\n  name: gitlab\n  repo: mib/web/portal\n  branch: main\n  auth_type: pkce\n  app_id: 0a1b2c3d\npublish_mode: editorial_workflow\n")
    section = "cms:\n  backend: gitlab\n  repo: mib/portal\n  app_id: abc\n  base_url: https://gitlab.univ.example\n  api_root: https://gitlab.univ.example/api/v4\n"
    assert backend_of(section) == HEADER + (
        "backend:\n  name: gitlab\n  repo: mib/portal\n  branch: main\n  auth_type: pkce\n  app_id: abc\n  base_url: https://gitlab.univ.example\n"
        "  api_root: https://gitlab.univ.example/api/v4\npublish_mode: editorial_workflow\n")


def test_gitea_logs_in_with_its_oauth_application_and_saves_at_once():
    """Gitea: its address, its API and the application's id; no editorial workflow (Decap's gitea backend has none)."""
    section = "cms:\n  backend: gitea\n  repo: mib/portal\n  app_id: 6d1c-44\n  base_url: https://git.mib.example.org\n  api_root: https://git.mib.example.org/api/v1\n"
    assert backend_of(section) == HEADER + (
        "backend:\n  name: gitea\n  repo: mib/portal\n  branch: main\n  app_id: 6d1c-44\n  base_url: https://git.mib.example.org\n"
        "  api_root: https://git.mib.example.org/api/v1\n")


def test_the_preview_always_uses_its_own_backend():
    """Whatever Git host config.yaml names, the preview's configuration names the local backend, without a workflow."""
    config, _ = settings("cms:\n  backend: github\n  repo: mib/portal\n  base_url: https://auth.example.org\n")
    local = cms_config(config, local=True)
    assert local["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"} and "publish_mode" not in local
    assert cms_config(config)["collections"] == local["collections"]


def test_without_a_cms_section_the_local_backend():
    """The default: the preview's backend, nothing published."""
    config, problems = settings("")
    assert problems == [] and config.cms.backend == "local" and config.cms.publish is False
    assert yaml.safe_load(config_text(config))["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}


L = CMS_LINE
BAD = [
    ("cms:\n  backend: bitbucket\n",
     [f"config.yaml:{L + 1}: error: 'cms.backend' must be one of local, github, gitlab or gitea, got 'bitbucket' (known: local, github, gitlab, gitea)"]),
    ("cms:\n  backend: github\n  repo: portal\n  base_url: https://auth.example.org\n",
     [f"config.yaml:{L + 2}: error: 'cms.repo' must be a repository like owner/name, got 'portal'"]),
    ("cms:\n  backend: github\n",
     [f"config.yaml:{L}: error: 'cms.repo' must be given for the github backend: the repository the editor saves to, like mib-cluster/portal",
      f"config.yaml:{L}: error: 'cms.base_url' must be given for the github backend: the address of your OAuth server (GitHub logs in through it: "
      "see the editor's guide)"]),
    ("cms:\n  backend: gitlab\n  repo: mib/portal\n",
     [f"config.yaml:{L}: error: 'cms.app_id' must be given for the gitlab backend: the Client ID of the OAuth application made for the editor "
      "(see the editor's guide)"]),
    ("cms:\n  backend: gitea\n  repo: mib/portal\n  app_id: x\n  base_url: https://git.example.org\n  api_root: https://git.example.org/api/v1\n"
     "  publish_mode: editorial_workflow\n  auth_endpoint: login\n",
     [f"config.yaml:{L + 7}: error: 'cms.auth_endpoint' must be left out for the gitea backend, which does not read it",
      f"config.yaml:{L + 6}: error: 'cms.publish_mode' must be simple for the gitea backend: Decap's gitea backend has no editorial workflow"]),
    ("cms:\n  backend: github\n  repo: mib/portal\n  base_url: http://auth.example.org\n  app_id: x\n  branch: ../main\n",
     [f"config.yaml:{L + 3}: error: 'cms.base_url' must be an https:// address like https://git.example.org, got 'http://auth.example.org'",
      f"config.yaml:{L + 4}: error: 'cms.app_id' must be left out for the github backend: GitHub logs in through the OAuth server of cms.base_url",
      f"config.yaml:{L + 5}: error: 'cms.branch' must be a branch name like main or content/drafts, got '../main'"]),
    ("cms:\n  repo: mib/portal\n  publish: true\n",
     [f"config.yaml:{L + 1}: error: 'cms.repo' must be left out with the local backend, or cms.backend set to github, gitlab or gitea",
      f"config.yaml:{L + 2}: error: 'cms.publish' must be false with the local backend, which exists in the preview only: set cms.backend to github, "
      "gitlab or gitea"]),
    ("cms:\n  backend: github\n  repo: mib/portal\n  base_url: https://a.example\n  publish: yes please\n  colour: red\n",
     [f"config.yaml:{L + 4}: error: 'cms.publish' must be true or false, got 'yes please'",
      f"config.yaml:{L + 5}: error: unknown field 'cms.colour' (known: backend, repo, branch, base_url, auth_endpoint, app_id, api_root, publish_mode, "
      "publish)"]),
]


@pytest.mark.parametrize(("section", "expected"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_values_are_errors_at_their_line(section, expected):
    """Each bad value: one line at its line (or the section's, for a missing one), saying what to write."""
    config, problems = settings(section)
    assert config is None and sorted(problems) == sorted(expected)
