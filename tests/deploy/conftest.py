"""Helpers for the hosting tests: tools required in CI, site builds in temporary folders, nginx on a loopback port."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RENDERER = REPO / "deploy" / "render_nginx.py"
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
MATCHER = REPO / ".github" / "mib-problem-matcher.json"


def load_renderer():
    """deploy/render_nginx.py as a module (deploy/ is not a package)."""
    name = "mib_render_nginx"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, RENDERER)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def require_tool(name: str, package: str) -> str:
    """The tool's path; skip when it is missing, but fail in CI (the env var CI is set), where it must be installed."""
    path = shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None)
    if path:
        return path
    message = f"{name} not installed: apt-get install {package}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (required in CI: `make browser-deps` installs it)", pytrace=False)
    pytest.skip(message)


def build_site(out: Path, config: Path = REPO / "config.yaml", *extra: str) -> Path:
    """Run the real command line, `python build.py --config ... --output out`, and return out."""
    command = [sys.executable, str(REPO / "build.py"), "--config", str(config), "--output", str(out), "--quiet", *extra]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        pytest.fail(f"build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)
    return out


def copy_sources(dest: Path) -> Path:
    """A copy of the repository's site sources (config, content, templates, static) to change freely."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "config.yaml", dest / "config.yaml")
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def add_front_matter(path: Path, line: str) -> None:
    """Insert one front matter line right after the opening '---'."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path} does not start with front matter"
    path.write_text("---\n" + line + "\n" + text[4:], encoding="utf-8")


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        """Render the configuration for this root and a free port, start nginx and wait until it answers."""
        renderer = load_renderer()
        (self.folder / "logs").mkdir(parents=True, exist_ok=True)
        (self.folder / "temp").mkdir(exist_ok=True)
        self.port = free_port()
        settings = renderer.Settings(
            root=str(self.root),
            port=self.port,
            address="127.0.0.1",
            # Workers as root can read pytest's private temporary folders; other users keep their own identity.
            user="root" if os.geteuid() == 0 else "",
            pid=str(self.folder / "nginx.pid"),
            error_log=str(self.error_log),
            access_log=str(self.folder / "logs" / "access.log"),
            temp_dir=str(self.folder / "temp"),
        )
        self.conf.write_text(renderer.render(settings), encoding="utf-8")
        command = [self.binary, "-p", str(self.folder), "-c", str(self.conf), "-e", str(self.error_log), "-g", "daemon off;"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace")
                pytest.fail(f"nginx exited with {self.process.returncode}:\n{output}\n{self.log()}", pytrace=False)
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"nginx did not listen on port {self.port} within 20 s:\n{self.log()}", pytrace=False)

    def stop(self) -> None:
        """Stop this nginx (its own master process only; the workers follow it)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
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
    """The repository's own site, built by the real command line."""
    return build_site(tmp_path_factory.mktemp("real") / "public")


@pytest.fixture(scope="session")
def alias_site(tmp_path_factory) -> Path:
    """A copy of the repository's content with aliases added to one English and one French article."""
    folder = tmp_path_factory.mktemp("aliased")
    sources = copy_sources(folder / "src")
    add_front_matter(sources / "content" / "news" / "official-launch.md", "aliases: [/old-news/]")
    add_front_matter(sources / "content" / "news" / "official-launch.fr.md", "aliases: [/fr/anciennes-nouvelles/]")
    return build_site(folder / "public", sources / "config.yaml", "--no-search")


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
