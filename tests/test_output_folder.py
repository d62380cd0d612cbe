"""The output folder (issue #18): a build publishes only into a folder of its own, never over anyone's files.

A build replaces everything in its output folder. It refuses one that is, or is inside, a folder the
site or git needs, a file, a link, or a folder holding files it did not write (no marker beside it);
a missing or empty folder is claimed with the marker `.NAME.mib-portal`, beside it, never published.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import REPO, load_cli, make_site, tree

cli = load_cli()
from sitegen.problems import BuildFailed  # noqa: E402 - after load_cli put the repository on sys.path
from sitegen.publish.outdir import MARKER_TEXT, marker  # noqa: E402
from sitegen.publish.output import Output, Staging  # noqa: E402

NOT_MINE = ("holds files this tool did not write (a build replaces everything in it: choose a new or empty folder; "
            "if it is an earlier build of this site, delete it first)")
OWN_FOLDER = "(use a folder of its own, such as public)"


def main(site: Path, *args: str, capsys) -> tuple[int, str, str]:
    """build.py's main() on a site, from the site's folder; (exit status, stdout, stderr)."""
    code = cli.main(["--config", str(site / "config.yaml"), "--no-search", "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def set_output(site: Path, value: str) -> None:
    """Set `output:` in the site's config.yaml (line 20 of the sample site)."""
    path = site / "config.yaml"
    path.write_text(path.read_text().replace("output: public", f"output: {value}"))


def sources(site: Path) -> dict[str, bytes]:
    """Every file of the site but the build's cache (which a refused build may still fill), with its bytes."""
    return {path: data for path, data in tree(site).items() if not path.startswith(".cache/")}


def listing(folder: Path) -> list[str]:
    """Every name under a folder, sorted (hidden ones included)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The sample site, the current folder being the site's (as when editors run build.py)."""
    folder = make_site(tmp_path)
    monkeypatch.chdir(folder)
    return folder


def test_a_users_folder_given_with_output_is_refused_and_left_alone(site, tmp_path, capsys):
    """`--output ~/folder` holding someone's files: exit 2, one line naming the option, nothing moved or written beside it."""
    home = tmp_path / "home"
    (home / "folder").mkdir(parents=True)
    (home / "folder" / "notes.txt").write_text("precious\n")
    before = listing(home)
    code, out, err = main(site, "--output", str(home / "folder"), capsys=capsys)
    assert (code, out) == (2, "")
    assert err == f"error: --output {home}/folder/ {NOT_MINE}\n"
    assert listing(home) == before == ["folder", "folder/notes.txt"]


def test_a_users_folder_named_in_config_is_an_error_on_the_output_line(site, tmp_path, capsys):
    """The same folder from config.yaml: exit 1, the error on config.yaml's `output:` line."""
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "index.html").write_text("their own site\n")
    set_output(site, str(tmp_path / "theirs"))
    code, _, err = main(site, capsys=capsys)
    assert code == 1
    assert err.splitlines() == [f"config.yaml:20: error: the output folder {tmp_path}/theirs/ {NOT_MINE}",
                                "1 error, 0 warnings", "build failed: nothing was published"]
    assert listing(tmp_path / "theirs") == ["index.html"]
    assert not (tmp_path / ".theirs.staging").exists() and not marker(tmp_path / "theirs").exists()


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_a_missing_or_empty_folder_is_claimed_with_a_marker_beside_it(site, capsys, state):
    """Missing or empty: built; the marker is beside the folder, never inside it (so never published nor served)."""
    if state == "empty":
        (site / "public").mkdir()
    code, _, err = main(site, capsys=capsys)
    assert (code, err) == (0, "")
    assert marker(site / "public") == site / ".public.mib-portal"
    assert (site / ".public.mib-portal").read_text() == MARKER_TEXT.format(name="public")
    assert not any(name.startswith(".") for name in tree(site / "public"))
    assert main(site, capsys=capsys)[0] == 0, "the folder is the tool's now"


def test_a_new_folder_named_in_config_after_a_build_gets_the_whole_site(site, capsys):
    """`output:` changed to a new folder after a build: every file is published there, the old folder is left as it was,
    and going back to it, even after it was deleted, publishes it whole again."""
    assert main(site, capsys=capsys)[0] == 0
    first = tree(site / "public")
    set_output(site, "elsewhere")
    code, _, err = main(site, capsys=capsys)
    assert (code, err) == (0, "")
    assert tree(site / "elsewhere") == first
    assert tree(site / "public") == first
    shutil.rmtree(site / "public")
    (site / "config.yaml").write_text((site / "config.yaml").read_text().replace("output: elsewhere", "output: public"))
    code, _, err = main(site, capsys=capsys)
    assert (code, err) == (0, "")
    assert tree(site / "public") == first


def test_an_earlier_build_without_the_marker_is_refused_until_deleted(site, capsys):
    """A folder built before the marker existed (or whose marker was deleted) holds files, and so does the staging folder
    beside it: each is refused in turn, then the build is fine once both are deleted."""
    assert main(site, capsys=capsys)[0] == 0
    (site / ".public.mib-portal").unlink()
    before = tree(site / "public")
    code, _, err = main(site, "--output", "public", capsys=capsys)
    assert (code, err) == (2, "error: --output public/ has .public.staging beside it, which this tool did not make (no .public.mib-portal) "
                              "(the build would replace it: delete it if it is left from an earlier build of this site)\n")
    shutil.rmtree(site / ".public.staging")
    code, _, err = main(site, "--output", "public", capsys=capsys)
    assert (code, err) == (2, f"error: --output public/ {NOT_MINE}\n")
    assert tree(site / "public") == before
    shutil.rmtree(site / "public")
    assert main(site, capsys=capsys)[0] == 0


@pytest.mark.parametrize(("given", "what"), [
    (".", "would overwrite the site's sources"),
    ("..", "would overwrite the site's sources"),
    ("public/..", "would overwrite the site's sources"),
    ("content", "is content/, which the site needs"),
    ("content/news", "is inside content/, which the site needs"),
    ("templates", "is templates/, which the site needs"),
    ("static/x", "is inside static/, which the site needs"),
    ("tests/out", "is inside tests/, which the site needs"),
    ("sitegen", "is sitegen/, which the site needs"),
    (".git/public", "is inside .git/, which the site needs"),
    (".cache", "is .cache/, the build's cache"),
    (".cache/html", "is inside .cache/, the build's cache"),
])
def test_folders_the_site_needs_are_refused_from_config(site, capsys, given, what):
    """From config.yaml: exit 1 on the `output:` line; nothing of the site changed."""
    set_output(site, given)
    before = sources(site)
    code, _, err = main(site, capsys=capsys)
    shown = os.path.normpath(site / given)
    shown = os.path.relpath(shown, site) + "/" if shown.startswith(str(site) + "/") else shown + "/"
    assert code == 1
    assert err.splitlines()[0] == f"config.yaml:20: error: the output folder {shown} {what} {OWN_FOLDER}"
    assert sources(site) == before


@pytest.mark.parametrize("given", [".", "content", "content/../content", "static", "templates/partials", ".git"])
def test_folders_the_site_needs_are_refused_from_the_command_line(site, capsys, given):
    """From --output: exit 2, `error: --output ...`, nothing of the site changed."""
    before = sources(site)
    code, _, err = main(site, "--output", given, capsys=capsys)
    assert code == 2 and err.startswith("error: --output ") and err.endswith(f"{OWN_FOLDER}\n") and err.count("\n") == 1, err
    assert sources(site) == before


def test_the_engines_own_code_is_refused(site, capsys):
    """The generator's sitegen/ (wherever the site is) is never an output folder."""
    code, _, err = main(site, "--output", str(REPO / "sitegen"), capsys=capsys)
    assert code == 2
    assert err == f"error: --output {REPO}/sitegen/ would overwrite the generator's own code ({REPO}/sitegen) {OWN_FOLDER}\n"


def test_a_file_is_refused(site, capsys):
    """A file where the folder goes: refused, the file kept."""
    (site / "public").write_text("a file\n")
    code, _, err = main(site, capsys=capsys)
    assert code == 1
    assert err.splitlines()[0] == ("config.yaml:20: error: the output folder public/ is a file, not a folder "
                                   "(a build replaces the output folder: remove the file, or choose another folder)")
    assert (site / "public").read_text() == "a file\n"


@pytest.mark.parametrize("target", ["empty", "content"])
def test_a_link_is_refused_wherever_it_points(site, tmp_path, capsys, target):
    """A symbolic link as the output folder, even to an empty folder: refused, the link and its target left as they were."""
    pointed = tmp_path / "empty" if target == "empty" else site / "content"
    pointed.mkdir(exist_ok=True)
    (site / "out").symlink_to(pointed, target_is_directory=True)
    before = listing(pointed)
    code, _, err = main(site, "--output", "out", capsys=capsys)
    assert code == 2
    if target == "empty":
        assert err == ("error: --output out/ is a symbolic link (give the folder itself: a build replaces the output folder, "
                       "never the folder a link points to)\n")
    assert (site / "out").is_symlink() and listing(pointed) == before


@pytest.mark.parametrize("name", [".public.staging", ".public.old", ".public.mib-portal"])
def test_a_link_where_the_build_keeps_its_own_files_is_refused(site, tmp_path, capsys, name):
    """A link planted as the staging folder (whose stray files a build deletes) or as the marker: refused, its target untouched."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep\n")
    (site / name).symlink_to(victim, target_is_directory=True)
    code, _, err = main(site, capsys=capsys)
    assert code == 1
    assert err.splitlines()[0] == (f"config.yaml:20: error: the output folder public/ has a symbolic link beside it ({name}) "
                                   f"where the build keeps its own files (remove {site / name}: the build makes it again)")
    assert listing(victim) == ["keep.txt"] and (site / name).is_symlink()


@pytest.mark.parametrize("name", [".out.staging", ".out.old"])
def test_a_folder_named_like_the_builds_own_beside_an_unclaimed_folder_is_refused(site, capsys, name):
    """`.NAME.staging` or `.NAME.old` beside a folder the tool never claimed: not the tool's, so never emptied or deleted."""
    (site / name).mkdir()
    (site / name / "keep.txt").write_text("keep\n")
    code, _, err = main(site, "--output", "out", capsys=capsys)
    assert (code, err) == (2, f"error: --output out/ has {name} beside it, which this tool did not make (no .out.mib-portal) "
                              "(the build would replace it: delete it if it is left from an earlier build of this site)\n")
    assert listing(site / name) == ["keep.txt"] and not (site / "out").exists()


def git(site: Path, *args: str) -> None:
    """Run git in the site's folder."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
    subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(site):
    """The sample site as a git repository, with docs/ tracked."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (site / "docs").mkdir()
    (site / "docs" / "readme.md").write_text("docs\n")
    (site / ".gitignore").write_text("/.cache/\n")  # as the repository's own: the build's cache is never committed
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "site")
    return site


def test_tracked_folders_are_refused(repo, capsys):
    """A folder holding tracked files, or inside one: refused, naming a tracked file."""
    code, _, err = main(repo, "--output", "docs", capsys=capsys)
    assert (code, err) == (2, "error: --output docs/ holds files tracked by git (docs/readme.md) "
                              "(a build replaces everything in it: use a folder git does not track, such as public)\n")
    code, _, err = main(repo, "--output", "docs/site", capsys=capsys)
    assert (code, err) == (2, "error: --output docs/site/ is inside docs/, which holds files tracked by git (docs/readme.md) "
                              "(use a folder git does not track, such as public)\n")
    assert not (repo / "docs" / "site").exists()


def test_a_tracked_file_in_the_output_folder_is_refused_even_with_the_marker(repo, capsys):
    """An editor's commit that adds public/x (forced past .gitignore): the build refuses to replace it."""
    assert main(repo, capsys=capsys)[0] == 0
    (repo / "public" / "kept.txt").write_text("tracked\n")
    git(repo, "add", "-f", "public/kept.txt")
    code, _, err = main(repo, capsys=capsys)
    assert code == 1
    assert err.splitlines()[0] == ("config.yaml:20: error: the output folder public/ holds files tracked by git (public/kept.txt) "
                                   "(a build replaces everything in it: use a folder git does not track, such as public)")
    assert (repo / "public" / "kept.txt").read_text() == "tracked\n"


def test_a_folder_with_a_glob_name_is_not_read_as_a_git_pattern(repo, capsys):
    """`--output '*'`: git's pathspec magic is off, so the tracked files elsewhere do not count as the folder's."""
    assert main(repo, "--output", "*", capsys=capsys)[:2] == (0, "")
    assert (repo / "*" / "index.html").is_file()


def test_check_refuses_what_build_refuses(site, tmp_path, capsys):
    """`check` writes nothing but refuses the same output folders."""
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "x").write_text("x")
    code = cli.main(["check", "--config", str(site / "config.yaml"), "--output", str(tmp_path / "theirs")])
    assert code == 2
    assert capsys.readouterr().err == f"error: --output {tmp_path}/theirs/ {NOT_MINE}\n"


def test_staging_refuses_an_unmarked_folder_by_itself(tmp_path):
    """The publishing step checks again on its own: a pipeline that forgot the check still never replaces someone's files."""
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "mine.txt").write_text("mine\n")
    with pytest.raises(BuildFailed) as refused:
        Staging(tmp_path / "public")
    assert [str(p) for p in refused.value.problems] == [f"error: the output folder {tmp_path}/public/ {NOT_MINE}"]
    assert listing(tmp_path) == ["public", "public/mine.txt"]


def test_staging_claims_an_empty_folder(tmp_path):
    """An empty folder is claimed (the marker written) when the first publish into it starts."""
    (tmp_path / "public").mkdir()
    staging = Staging(tmp_path / "public")
    assert (tmp_path / ".public.mib-portal").is_file()
    staging.put(Output("index.html", b"hello"))
    staging.commit()
    assert (tmp_path / "public" / "index.html").read_bytes() == b"hello"
