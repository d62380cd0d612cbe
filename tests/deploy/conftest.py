"""Helpers for the hosting tests: tools required in CI, site builds in temporary folders, nginx on a loopback port."""

from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from support import REPO, copy_real_site, listening_socket, loopback_nginx_conf, run_build, start_nginx, stop_process, tool_path

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
MATCHER = REPO / ".github" / "mib-problem-matcher.json"
# The cache lifetimes every host must send, written out here rather than read from sitegen.publish.hosting,
# so that a change there shows as a failing test and not as the tests following along.
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300, must-revalidate"


def require_tool(name: str, package: str) -> str:
    """The tool's path; skip when it is missing, but fail in CI (the env var CI is set), where it must be installed."""
    path = tool_path(name)
    if path:
        return path
    message = f"{name} not installed: apt-get install {package}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (required in CI: `make browser-deps` installs it)", pytrace=False)
    pytest.skip(message)


def build_site(site: Path, *extra: str, search: bool = True) -> Path:
    """Run the real command line on a copy of the site (its output and cache stay in the copy); site/public."""
    done = run_build(site, "--quiet", *extra, search=search, timeout=600)
    if (done.returncode, done.stderr) != (0, ""):
        pytest.fail(f"build failed ({done.returncode}):\n{done}", pytrace=False)
    return site / "public"


def add_front_matter(path: Path, line: str) -> None:
    """Insert one front matter line right after the opening '---'."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path} does not start with front matter"
    path.write_text("---\n" + line + "\n" + text[4:], encoding="utf-8")


@dataclass
class Nginx:
    """One nginx master process in the foreground, with everything it writes under its own folder."""

    binary: str
    root: Path
    folder: Path
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def conf(self) -> Path:
        return self.folder / "nginx.conf"

    @property
    def error_log(self) -> Path:
        return self.folder / "logs" / "error.log"

    def start(self) -> Nginx:
        """Render the configuration for this root and a port, start nginx and wait until it answers."""
        sock = listening_socket()
        self.port = sock.getsockname()[1]
        self.process = start_nginx(self.binary, self.folder, loopback_nginx_conf(self.root, self.folder, self.port), sock,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # The socket already listens, so a request waits in its queue until nginx answers it (or exits).
        try:
            urllib.request.urlopen(self.url("/robots.txt"), timeout=20).close()
        except OSError as error:
            output = self.process.stdout.read().decode(errors="replace") if self.process.poll() is not None else ""
            self.stop()
            pytest.fail(f"nginx did not answer on port {self.port} within 20 s ({error}):\n{output}\n{self.log()}", pytrace=False)
        return self

    def stop(self) -> None:
        """Stop this nginx (its own master process only; the workers follow it)."""
        if self.process:
            stop_process(self.process)
        if self.process and self.process.stdout:
            self.process.stdout.close()

    def log(self) -> str:
        """The error log, for failure messages."""
        return self.error_log.read_text(errors="replace") if self.error_log.is_file() else "(no error log)"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@dataclass
class Answer:
    """One HTTP response, whatever its status."""

    status: int
    headers: Message
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back instead of following them."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(server: Nginx, path: str, headers: dict[str, str] | None = None) -> Answer:
    """GET a path as it is (no normalising, no redirects followed, no decompression)."""
    request = urllib.request.Request(server.url(path), headers=headers or {})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers, error.read())


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The repository's own site (a copy), built by the real command line with its search index."""
    return build_site(copy_real_site(tmp_path_factory.mktemp("real") / "site"))


# An alias as long as the build takes: 500 characters (the schema's Alias), parts of 200 bytes at most (two a character here).
LONGEST_ALIAS = "/" + "/".join(["é" * 100] * 4 + ["é" * 94]) + "/"


@pytest.fixture(scope="session")
def alias_site(tmp_path_factory) -> Path:
    """A copy of the repository's content with aliases added to one English and one French article (one accented and
    mixed-case, one as long as an alias may be: 500 characters, 1,000 bytes)."""
    sources = copy_real_site(tmp_path_factory.mktemp("aliased") / "site")
    add_front_matter(sources / "content" / "news" / "official-launch.md", f"aliases: [/old-news/, /Actualités/Lancement.html, {LONGEST_ALIAS}]")
    add_front_matter(sources / "content" / "news" / "official-launch.fr.md", "aliases: [/fr/anciennes-nouvelles/]")
    return build_site(sources, search=False)


@pytest.fixture(scope="session")
def nginx_binary() -> str:
    """nginx's path (checked before any build, so a missing nginx skips or fails at once)."""
    return require_tool("nginx", "nginx-light")


def _serve(binary: str, root: Path, folder: Path):
    server = Nginx(binary, root, folder).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def nginx(nginx_binary, real_site, tmp_path_factory):
    """nginx serving the real site on a loopback port."""
    yield from _serve(nginx_binary, real_site, tmp_path_factory.mktemp("nginx"))


@pytest.fixture(scope="module")
def alias_nginx(nginx_binary, alias_site, tmp_path_factory):
    """nginx serving the site built with aliases."""
    yield from _serve(nginx_binary, alias_site, tmp_path_factory.mktemp("nginx-aliases"))
