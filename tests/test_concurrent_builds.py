"""Two builds of one site at once (issue #18): two terminals, a build while the preview server runs.

They used to end in a traceback 19 times in 20, once publishing a different site, and a build during
`serve` made every preview page answer 500. Now the second build waits for the first (a lock in
.cache/), says so, and both publish the site a build alone would; the preview builds into a folder of
its own. Real processes, started together.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support import EPOCH, REPO, bare_copy, load_cli, make_site, tree

cli = load_cli()
from sitegen.publish import lock  # noqa: E402 - after load_cli put the repository on sys.path

WAITING = "waiting for another build of this site (pid "


def command(site: Path, *args: str) -> list[str]:
    """build.py on a site, no search index."""
    return [sys.executable, str(REPO / "build.py"), *args, "--config", str(site / "config.yaml"), "--no-search", "-q"]


def start(site: Path, *args: str) -> subprocess.Popen:
    """build.py started in the background, from the site's folder."""
    return subprocess.Popen(command(site, *args), cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


def finish(processes: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    """Wait for every process: (exit status, stdout, stderr) of each."""
    outputs = [p.communicate(timeout=180) for p in processes]
    return [(p.returncode, out, err) for p, (out, err) in zip(processes, outputs, strict=True)]


def cold(site: Path, where: Path) -> dict[str, bytes]:
    """What one build alone publishes for the site as it is now (a copy, no cache, no output)."""
    copy = bare_copy(site, where / "cold")
    done = subprocess.run(command(copy), cwd=copy, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert done.returncode == 0, done.stderr
    return tree(copy / "public")


def test_builds_started_together_wait_for_each_other_and_publish_the_site(tmp_path):
    """Three builds of a fresh site at once, twice: all succeed, the later ones say they wait, the site is the one a build makes."""
    site = make_site(tmp_path)
    expected = cold(site, tmp_path)
    for _ in range(2):
        for name in (".cache", "public", ".public.staging"):
            shutil.rmtree(site / name, ignore_errors=True)
        results = finish([start(site) for _ in range(3)])
        assert [code for code, _, _ in results] == [0, 0, 0], results
        assert not any("Traceback" in out + err for _, out, err in results), results
        for _, _, err in results:
            assert err == "" or (err.startswith(WAITING) and err.endswith(")…\n") and err.count("\n") == 1), err
        assert any(err for _, _, err in results), "the builds did not meet: nothing was tested"
        assert tree(site / "public") == expected
        assert not (site / ".public.old").exists()


def test_an_edit_between_concurrent_builds_publishes_the_edited_site(tmp_path):
    """A build running, an edit, a second build: the second waits, then publishes the edited site, whole."""
    site = make_site(tmp_path)
    first = start(site)
    time.sleep(0.3)
    article = site / "content/news/first-award.md"
    article.write_text(article.read_text().replace("received", "was awarded"))
    (site / "content/news/added.md").write_text("---\ntitle: Added\ndate: 2024-03-03\n---\nAdded while building.\n")
    second = start(site)
    results = finish([first, second])
    assert [code for code, _, _ in results] == [0, 0], results
    assert tree(site / "public") == cold(site, tmp_path)


def test_a_build_that_waits_too_long_stops_with_a_clear_message(tmp_path, capsys, monkeypatch):
    """Another process holds the lock past the timeout: exit 1, what is running and what to do, nothing published."""
    site = make_site(tmp_path)
    monkeypatch.setattr(lock, "LOCK_TIMEOUT", 0.3)
    (site / ".cache").mkdir(exist_ok=True)
    with open(site / ".cache" / "build.lock", "w") as held:
        held.write("4242\n")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        code = cli.main(["--config", str(site / "config.yaml"), "--no-search", "-q"])
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        "waiting for another build of this site (pid 4242)…",
        "error: another build of this site (pid 4242) was still running after 0.3 s "
        "(wait for it to end, or stop it, then build again; nothing was published)",
        "1 error, 0 warnings",
        "build failed: nothing was published",
    ]
    assert not (site / "public").exists()


def test_a_killed_build_leaves_no_lock_behind(tmp_path):
    """The lock is the kernel's: a holder killed with SIGKILL releases it, and the next build does not wait."""
    site = make_site(tmp_path)
    (site / ".cache").mkdir(exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time\n"
                               f"f = open({str(site / '.cache' / 'build.lock')!r}, 'w'); fcntl.flock(f, fcntl.LOCK_EX)\n"
                               "print('held', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    code, _, err = finish([start(site)])[0]
    assert (code, err) == (0, "")


def _free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    """The HTTP status of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_builds_while_the_preview_runs(tmp_path):
    """`serve` running, three builds into public/ and an edit: the preview never answers 500, public/ gets no draft."""
    site = make_site(tmp_path)
    port = _free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), "--no-search"], cwd=site,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    base = f"http://127.0.0.1:{port}"
    seen: list[int] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            for path in ("/", "/news/draft-post/", "/news/first-award/"):
                seen.append(_status(base + path))

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not seen or seen[-1] != 200):
            seen[:] = [_status(base + "/news/draft-post/")] if _connects(port) else []
            time.sleep(0.1)
        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        builds = [start(site) for _ in range(3)]
        article = site / "content/news/first-award.md"
        article.write_text(article.read_text().replace("received", "was awarded"))
        results = finish(builds)
        time.sleep(2)  # the preview's rebuild of the edit
        stop.set()
        poller.join(timeout=30)
        assert [code for code, _, _ in results] == [0, 0, 0], results
        assert not any("Traceback" in out + err for _, out, err in results), results
        assert seen and set(seen) == {200}, sorted(set(seen))
        assert _status(base + "/news/draft-post/") == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "Traceback" not in output, output
    assert not (site / "public/news/draft-post").exists() and b"draft-post" not in tree(site / "public")["sitemap.xml"]
    assert (site / ".cache/preview/news/draft-post/index.html").is_file()
    assert tree(site / "public") == cold(site, tmp_path)


def _connects(port: int) -> bool:
    """True when something listens on the port."""
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(autouse=True)
def _no_lock_left(tmp_path):
    """After each test, no build of the test's sites still holds a lock."""
    yield
    for path in tmp_path.rglob("build.lock"):
        with open(path) as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def said_while_held(tmp_path: Path, pid_after: float | None) -> list[str]:
    """What a build waiting 0.8 s says of a lock held here, whose holder writes pid 4242 after `pid_after` seconds (None: never)."""
    path = tmp_path / ".cache" / "build.lock"
    path.parent.mkdir()
    said: list[str] = []
    with open(path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        writer = threading.Timer(pid_after or 0, lambda: (held.write("4242\n"), held.flush()))
        if pid_after is not None:
            writer.start()
        with pytest.raises(cli.BuildFailed), lock.site_lock(tmp_path / ".cache", timeout=0.8, say=said.append):
            pass
        if pid_after is not None:
            writer.join()
    return said


def test_the_wait_names_a_holder_that_writes_its_pid_just_after_taking_the_lock(tmp_path):
    """The lock taken, the pid written a moment later (as a starting build does): the waiting build still names it."""
    assert said_while_held(tmp_path, 0.2) == ["waiting for another build of this site (pid 4242)…"]


def test_the_wait_is_said_without_a_pid_when_the_holder_never_writes_one(tmp_path):
    """A holder that writes nothing (another tool): the wait is said after a moment, without a pid."""
    assert said_while_held(tmp_path, None) == ["waiting for another build of this site…"]
