"""config.yaml's `cms:` section: which Git host the browser editor saves to in production, and whether the site publishes it.

The preview (`build.py serve`) always uses its own local backend; these settings make the
configuration `build.py cms` writes (and the one published at /admin/ when `publish: true`).
Every value is checked here, each message naming what to write instead.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from .schemas import Strict

REPO_PATTERN = r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){1,3}$"  # owner/name (GitLab: group/subgroup/name)
BRANCH_PATTERN = r"^[A-Za-z0-9_-]+([./][A-Za-z0-9_-]+)*$"  # a plain branch name: main, content/drafts
HTTPS_PATTERN = r"^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?$"
ENDPOINT_PATTERN = r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$"
# What each Git host asks for: GitHub an OAuth server (no Netlify here), GitLab and Gitea an OAuth application's id (PKCE).
NEEDED = {"github": ("repo", "base_url"), "gitlab": ("repo", "app_id"), "gitea": ("repo", "app_id", "base_url", "api_root")}
WHY = {
    "repo": "the repository the editor saves to, like mib-cluster/portal",
    "base_url": {"github": "the address of your OAuth server (GitHub logs in through it: see the editor's guide)",
                 "gitea": "your Gitea's address, like https://git.example.org"},
    "app_id": "the Client ID of the OAuth application made for the editor (see the editor's guide)",
    "api_root": "your Gitea's API, like https://git.example.org/api/v1",
}


class CmsSettings(Strict):
    """The browser editor in production."""

    backend: Literal["local", "github", "gitlab", "gitea"] = "local"
    repo: Annotated[str | None, Field(validate_default=True)] = None
    branch: str = "main"
    base_url: Annotated[str | None, Field(validate_default=True)] = None
    auth_endpoint: str | None = None
    app_id: Annotated[str | None, Field(validate_default=True)] = None
    api_root: Annotated[str | None, Field(validate_default=True)] = None
    publish_mode: Annotated[Literal["simple", "editorial_workflow"] | None, Field(validate_default=True)] = None
    publish: Annotated[bool, Field(validate_default=True)] = False

    @field_validator("repo", "base_url", "app_id", "api_root")
    @classmethod
    def _needed(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A setting the Git host needs is there and well formed; one it does not use is left out."""
        backend = info.data.get("backend", "local")
        name = info.field_name
        if value is None:
            if name in NEEDED.get(backend, ()):
                why = WHY[name][backend] if isinstance(WHY[name], dict) else WHY[name]
                raise ValueError(f"must be given for the {backend} backend: {why}")
            return None
        if backend == "local":
            raise ValueError("must be left out with the local backend, or cms.backend set to github, gitlab or gitea")
        if name == "app_id" and backend == "github":
            raise ValueError("must be left out for the github backend: GitHub logs in through the OAuth server of cms.base_url")
        return _well_formed(name, value)

    @field_validator("branch")
    @classmethod
    def _branch(cls, value: str) -> str:
        """A plain branch name."""
        if not re.fullmatch(BRANCH_PATTERN, value):
            raise ValueError(f"must be a branch name like main or content/drafts, got {value!r}")
        return value

    @field_validator("auth_endpoint")
    @classmethod
    def _endpoint(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A path on base_url, like oauth/authorize, for the backends that read it (Decap's gitea backend always logs in at login/oauth/authorize)."""
        if value is None:
            return None
        if info.data.get("backend", "local") in ("local", "gitea"):
            raise ValueError(f"must be left out for the {info.data.get('backend', 'local')} backend, which does not read it")
        if not re.fullmatch(ENDPOINT_PATTERN, value):
            raise ValueError(f"must be a path on cms.base_url, like oauth/authorize, got {value!r}")
        return value

    @field_validator("publish_mode")
    @classmethod
    def _mode(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Drafts as pull or merge requests where the Git host's backend has them; saving at once elsewhere."""
        backend = info.data.get("backend", "local")
        if value is None:
            return None if backend == "local" else "simple" if backend == "gitea" else "editorial_workflow"
        if value == "editorial_workflow" and backend in ("local", "gitea"):
            where = "the preview saves files at once" if backend == "local" else "Decap's gitea backend has no editorial workflow"
            raise ValueError(f"must be simple for the {backend} backend: {where}")
        return value

    @field_validator("publish")
    @classmethod
    def _published(cls, value: bool, info: ValidationInfo) -> bool:
        """Only a Git host backend can be published: the local one exists in the preview only."""
        if value and info.data.get("backend", "local") == "local":
            raise ValueError("must be false with the local backend, which exists in the preview only: set cms.backend to github, gitlab or gitea")
        return value


def _well_formed(name: str, value: str) -> str:
    """The value of a Git host setting, or ValueError saying what it must look like."""
    if name == "repo" and not re.fullmatch(REPO_PATTERN, value):
        raise ValueError(f"must be a repository like owner/name, got {value!r}")
    if name in ("base_url", "api_root") and not re.fullmatch(HTTPS_PATTERN, value):
        raise ValueError(f"must be an https:// address like https://git.example.org, got {value!r}")
    if name == "app_id" and not re.fullmatch(r"[A-Za-z0-9._-]{1,200}", value):
        raise ValueError(f"must be the OAuth application's id (letters, digits, '.', '_' and '-'), got {value!r}")
    return value.rstrip("/") if name in ("base_url", "api_root") else value
