"""What the tests share: the repository's paths, the fixed 'now', the sample sites, the build runners,
tree digests, file edits, listening sockets and git, each defined once.

`tests/conftest.py` imports this module; test modules import what they use from it (`from support import ...`).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import importlib.util
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "sites"
MINIMAL = SITES / "minimal"  # the sample site of the golden, CLI, i18n, feed and incremental tests
SMALL = SITES / "small"  # the sample site of the hostile-input and fuzz tests (the repository's config, few data)
EPOCH = "1764000000"  # 2025-11-24 16:00 UTC: the one 'now' of the whole run (set in conftest.pytest_configure)
BUILD_TIMEOUT = 120  # seconds; a build that takes longer counts as a hang
FAILED = "build failed: nothing was published"  # the last line of a failed `build`
CHECK_FAILED = "check failed"  # the last line of a failed `check`


# -- the repository's scripts as modules -------------------------------------------------------------


def load_script(name: str, path: Path):
    """A script of the repository loaded once as a module of that name."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def load_cli():
    """build.py as a module named mib_build (a plain `import build` would find PyPA's package)."""
    return load_script("mib_build", REPO / "build.py")


def load_corpus():
    """bench/corpus.py (bench/ is a folder of scripts, not a package)."""
    return load_script("bench_corpus", REPO / "bench" / "corpus.py")


def load_renderer():
    """deploy/render_nginx.py (deploy/ is a folder of scripts, not a package)."""
    return load_script("mib_render_nginx", REPO / "deploy" / "render_nginx.py")


def load_cdn():
    """deploy/cdn_config.py."""
    return load_script("mib_cdn_config", REPO / "deploy" / "cdn_config.py")


# -- sites in temporary folders ----------------------------------------------------------------------


def write_files(folder: Path, files: dict[str, str | bytes | None]) -> None:
    """Lay files over a folder: text (UTF-8, line endings as given), bytes, or None to delete."""
    for rel, content in files.items():
        path = folder / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def make_site(folder: Path, files: dict[str, str | bytes | None] | None = None, base: Path = MINIMAL, warm: bool = True) -> Path:
    """folder/site: a sample site with the repository's templates and static files, then `files` laid over it.

    Unless `warm` is false, its .cache/ holds what a first build of the minimal site kept there (see warm_cache)."""
    site = folder / "site"
    shutil.copytree(base, site)
    shutil.copytree(REPO / "templates", site / "templates")
    shutil.copytree(REPO / "static", site / "static")
    if warm:
        shutil.copytree(warm_cache(), site / ".cache")
    write_files(site, files or {})
    return site


@functools.cache
def warm_cache() -> Path:
    """The repository's templates compiled and its static images' copies encoded (.cache/jinja, .cache/images), made
    once per test process by building the minimal site.

    A sample site starts with them, as an editor's site has them after a first build: compiling the templates
    and encoding the static images took 0.5-0.6 s of each sample site's first build of 0.9 s, a thousand times a run.
    Neither changes what a build publishes (the kept copies are looked up by their content, and Jinja compiles a
    template whose source has changed). The sites copied otherwise (the repository's own, the generated corpora)
    start with no cache, and so do the tests of compiling and encoding.
    """
    folder = Path(tempfile.mkdtemp(prefix="mib-warm-cache-"))
    atexit.register(shutil.rmtree, folder, True)
    site = make_site(folder / "build", warm=False)
    run = run_cli(site)
    assert run.returncode == 0, f"the minimal site does not build:\n{run.stderr}"
    for part in ("jinja", "images"):
        shutil.copytree(site / ".cache" / part, folder / "cache" / part)
    shutil.rmtree(folder / "build")
    return folder / "cache"


def copy_built(site: Path, dest: Path) -> Path:
    """A copy of a built site whose build goes on from the original's: cache copied, published files hard-linked.

    The published files keep their inodes, so the copy's build finds them as its graph left them; the
    build never writes into a published file (it writes new ones and renames them), so the original's stay as they are.
    """
    published = {site / "public", site / ".public.staging"}

    def copy(source: str, target: str) -> None:
        if any(Path(source).is_relative_to(folder) for folder in published):
            os.link(source, target)
        else:
            shutil.copy2(source, target)

    shutil.copytree(site, dest, symlinks=True, copy_function=copy)
    return dest


def copy_real_site(dest: Path) -> Path:
    """A copy of the repository's own site (config, content, templates, static): its builds write output and cache there."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "config.yaml", dest / "config.yaml")
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a text file, in place; the test stops if `old` is not there (a stale assumption)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update the test"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="")


def save(path: Path, content: str | bytes) -> None:
    """Save a file in one atomic move: written in full outside the site, then renamed over the old one.

    A watcher of the site's sources hears of one change and finds the whole new file (never an empty or
    half-written one, as a truncating write can show it).
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    site = next((folder for folder in path.parents if (folder / "config.yaml").is_file()), path.parent)
    beside = site.parent / f".{path.name}.{os.getpid()}.saving"  # same file system, outside every watched folder
    beside.write_bytes(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(beside, path)


def save_edit(path: Path, old: str, new: str) -> None:
    """`edit`, saved as one atomic move."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update the test"
    save(path, text.replace(old, new))


# -- tree digests ------------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (links followed) with its bytes; {} when there is no folder."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _entry(path: Path) -> tuple:
    """What is compared of one directory entry (links are not followed)."""
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_dir():
        return ("dir",)
    if not path.is_file():
        return ("other", path.lstat().st_mode)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return ("file", path.stat().st_size, digest.hexdigest())


def entries(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple]:
    """Every entry under a folder, links not followed, with its kind and content digest (skipping `skip`)."""
    found: dict[str, tuple] = {}
    if not folder.exists():
        return found
    skipped = {p.absolute() for p in skip}
    for root, dirs, files in os.walk(folder):
        base = Path(root)
        dirs[:] = sorted(d for d in dirs if (base / d).absolute() not in skipped)
        for name in sorted(dirs + [f for f in files if (base / f).absolute() not in skipped]):
            path = base / name
            found[path.relative_to(folder).as_posix()] = _entry(path)
    return found


def changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """What changed between two `entries`."""
    found = [f"new: {p}" for p in sorted(after.keys() - before.keys())]
    found += [f"gone: {p}" for p in sorted(before.keys() - after.keys())]
    found += [f"changed: {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return found


# -- running builds ----------------------------------------------------------------------------------


@dataclass
class Run:
    """One finished run of build.py: exit code, output, and how long it took."""

    returncode: int
    stdout: str
    stderr: str
    args: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def lines(self) -> list[str]:
        """stderr, line by line."""
        return self.stderr.splitlines()

    def __str__(self) -> str:
        return (f"$ {' '.join(self.args)}\nexit {self.returncode} after {self.seconds:.1f}s\n"
                f"--- stderr ---\n{self.stderr}\n--- stdout ---\n{self.stdout[-3000:]}")


def cli_args(site: Path, *args: str, search: bool = False) -> list[str]:
    """build.py's arguments for a site: the command and options given, then --config (and --no-search)."""
    if args and args[0] in ("new", "schema", "import", "cms"):
        return list(args)
    return [*args, "--config", str(site / "config.yaml"), *([] if search else ["--no-search"])]


def run_cli(site: Path, *args: str, search: bool = False) -> Run:
    """build.py's main() in this process, from the site's folder; its exit code and what it printed."""
    cli = load_cli()
    argv = cli_args(site, *args, search=search)
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.chdir(site), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return Run(code, out.getvalue(), err.getvalue(), ["build.py", *argv], time.perf_counter() - started)


def run_build(site: Path, *args: str, search: bool = False, timeout: float = BUILD_TIMEOUT) -> Run:
    """build.py as editors and CI run it: a subprocess from the site's folder (the run's environment), bounded in time."""
    command = [sys.executable, str(REPO / "build.py"), *cli_args(site, *args, search=search)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=site, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        err = (exc.stderr or b"").decode("utf-8", "replace")
        pytest.fail(f"the build did not finish within {timeout}s (a hang): {' '.join(command)}\nstderr so far:\n{err[-3000:]}")
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"), command,
               time.perf_counter() - started)


# -- build.py in a process of its own, forked from one that has imported the engine ---------------------------

# What `python build.py` spends most of a small site's build on is importing (0.25-0.3 s: pydantic models, Jinja,
# Markdown, Babel, icalendar); the build itself takes 0.04 s. A fork server imports the engine once per test
# process, then forks a fresh process per build: its own exit status, output, working folder and environment,
# killed when it hangs, as a subprocess is; only nothing is imported again.
ENGINE_PRELOAD = ["support", "sitegen.build", "sitegen.rules", "sitegen.pages.registry", "sitegen.model.config",
                  "sitegen.checks.links", "sitegen.model.sources", "sitegen.pages.outputs", "sitegen.publish.output"]
_FORK_SERVER: list = []


def _fork_server():
    """The multiprocessing context whose fork server has imported the engine (started at its first use)."""
    if not _FORK_SERVER:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(ENGINE_PRELOAD)
        _FORK_SERVER.append(context)
    return _FORK_SERVER[0]


def _forked_build(site: str, argv: list[str], environ: dict[str, str], umask: int, out: str, err: str) -> None:
    """In the forked process: `python build.py ARGV` from the site's folder, as build.py's `__main__` runs it,
    its standard output and error written to two files."""
    import gc

    os.environ.clear()
    os.environ.update(environ)
    os.umask(umask)
    for fd, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    os.chdir(site)
    sys.argv = [str(REPO / "build.py"), *argv]
    cli = load_cli()
    gc.disable()
    status = cli.main()  # an exception escapes with its traceback printed on stderr and exit status 1, as in python
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):
            stream.flush()
    os._exit(status)


def run_forked(site: Path, *args: str, search: bool = False, timeout: float = BUILD_TIMEOUT) -> Run:
    """run_build() in a process forked from the fork server (see ENGINE_PRELOAD): the same Run, without the imports."""
    argv = cli_args(site, *args, search=search)
    mask = os.umask(0o022)
    os.umask(mask)
    with tempfile.TemporaryDirectory(prefix="mib-forked-") as folder:
        out, err = os.path.join(folder, "stdout"), os.path.join(folder, "stderr")
        process = _fork_server().Process(target=_forked_build, args=(str(site), argv, dict(os.environ), mask, out, err))
        started = time.perf_counter()
        process.start()
        process.join(timeout)
        seconds = time.perf_counter() - started
        if process.exitcode is None:
            process.kill()
            process.join()
            pytest.fail(f"the build did not finish within {timeout}s (a hang): build.py {' '.join(argv)}\n"
                        f"stderr so far:\n{Path(err).read_text(encoding='utf-8', errors='replace')[-3000:]}")
        printed = [Path(path).read_bytes().decode("utf-8", "replace") for path in (out, err)]
    return Run(process.exitcode, *printed, ["build.py (forked)", *argv], seconds)


def build(site: Path, **options):
    """build.py's build() in this process (no search index unless search=True): its Result, or BuildFailed raised."""
    cli = load_cli()
    options.setdefault("output", site / "public")
    options.setdefault("search", False)
    return cli.build(cli.Options(config=site / "config.yaml", **options))


def count_line(lines: list[str] | tuple[str, ...]) -> str:
    """The count the build prints after its problems: '1 error, 2 warnings'."""
    errors = sum(": error: " in line for line in lines)
    warnings = len(lines) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def problem_report(lines: list[str] | tuple[str, ...], verdict: str | None = None) -> list[str]:
    """stderr of a run with these problem lines: the lines, their count, then the verdict of a failure."""
    report = [*lines, count_line(lines)] if lines else []
    return report + ([verdict] if verdict else [])


# -- the preview server, listening sockets, git ---------------------------------------------------------


def listening_socket(host: str = "127.0.0.1") -> socket.socket:
    """A TCP socket bound to a port the system chose and already listening: no other process can take the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, 0))
    sock.listen(64)
    return sock


def tool_path(name: str) -> str | None:
    """An installed tool's path, looked for in sbin too (Debian puts nginx there, outside some users' PATH)."""
    return shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None)


def loopback_nginx_conf(root: Path, folder: Path, port: int) -> str:
    """deploy/nginx.conf.in rendered to serve `root` on 127.0.0.1:port, everything nginx writes under `folder`."""
    renderer = load_renderer()
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    (folder / "temp").mkdir(exist_ok=True)
    return renderer.render(renderer.Settings(
        root=str(root), port=port, address="127.0.0.1",
        # Workers as root can read pytest's private temporary folders; other users keep their own identity.
        user="root" if os.geteuid() == 0 else "",
        pid=str(folder / "nginx.pid"), error_log=str(folder / "logs" / "error.log"),
        access_log=str(folder / "logs" / "access.log"), temp_dir=str(folder / "temp")))


def start_nginx(binary: str, folder: Path, conf: str, sock: socket.socket, **popen) -> subprocess.Popen:
    """nginx in the foreground with this configuration (written to folder/nginx.conf), handed the listening socket.

    nginx inherits the sockets named in its NGINX environment variable, so no other process can take the
    port between its choice and nginx's start; a request waits in the socket's queue until nginx answers.
    """
    (folder / "nginx.conf").write_text(conf, encoding="utf-8")
    command = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "logs" / "error.log"), "-g", "daemon off;"]
    with sock:
        return subprocess.Popen(command, pass_fds=[sock.fileno()], env={**os.environ, "NGINX": f"{sock.fileno()};"}, **popen)


@dataclass
class Preview:
    """A `build.py serve` process and the address it said it listens on."""

    process: subprocess.Popen
    base: str
    printed: list[str]

    def output(self) -> str:
        """Stop the server; everything it printed."""
        self.stop()
        return "".join(self.printed) + (self.process.stdout.read() if self.process.stdout else "")

    def stop(self) -> None:
        stop_process(self.process)


def stop_process(process: subprocess.Popen) -> None:
    """Ask a process to end, and kill it if it has not within ten seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def start_preview(site: Path, timeout: float = 60) -> Preview:
    """`build.py serve --port 0` on a site: the server takes a free port itself and prints it (no port is guessed)."""
    command = [sys.executable, str(REPO / "build.py"), "serve", "--port", "0", "--no-search"]
    process = subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed: list[str] = []
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        printed.append(line)
        if line.startswith("serving ") and " at http://" in line:
            base = line.split(" at ", 1)[1].split()[0].rstrip("/")
            return Preview(process, base, printed)
        if time.monotonic() > deadline:
            break
    process.kill()
    process.wait(timeout=10)
    pytest.fail("the preview server never said where it listens:\n" + "".join(printed))


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Test Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(folder: Path, *args: str) -> str:
    """git in a folder with its own identity, no system or user config (so no signing): its output."""
    command = ["git", "-C", str(folder), "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args]
    done = subprocess.run(command, env={**os.environ, **GIT_IDENTITY}, capture_output=True, text=True, check=True)
    return done.stdout


# -- builds in this process ------------------------------------------------------------------------------


def bare_copy(site: Path, copy: Path) -> Path:
    """A copy of the site's sources at `copy` (replaced), links kept as links: no cache, no output, no staging folder."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, symlinks=True, ignore=shutil.ignore_patterns(".cache", "public", ".public*"))
    return copy


def cold_copy(site: Path, where: Path) -> dict[str, bytes]:
    """The output of a cold build of a copy of the site (no cache, no previous output), made under `where`."""
    copy = bare_copy(site, where / "cold")
    build(copy)
    return tree(copy / "public")


def summary(outcome, site: Path) -> tuple:
    """What a build gave (its Result, or the BuildFailed it raised): its problem lines, and the published files when it published."""
    lines = sorted(str(problem) for problem in outcome.problems)
    return ("failed", lines) if isinstance(outcome, load_cli().BuildFailed) else ("built", lines, tree(site / "public"))


def build_outcome(site: Path, **options) -> tuple:
    """summary() of a build of the site in this process."""
    cli = load_cli()
    try:
        return summary(build(site, **options), site)
    except cli.BuildFailed as failed:
        return summary(failed, site)
