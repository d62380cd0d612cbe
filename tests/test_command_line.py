"""The command line (issue #18, item 5): a slug is a name, never a path; --base-url is a plain address;
--jobs is 1 or more, capped to the cores. Every refusal is one line, with its exit status, and writes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import load_cli, make_site, tree

cli = load_cli()

SLUG_HINT = "use lowercase letters, digits and hyphens (at most 120), like official-launch; nothing was written"
BASE_URL_HELP = "(letters, digits, '.', '-', '_', '~' and '/' only)"


def main(*args: str, capsys) -> tuple[int, str, str]:
    """build.py's main(): (exit status, stdout, stderr)."""
    try:
        code = cli.main(list(args))
    except SystemExit as exited:  # argparse's usage errors
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def site(tmp_path):
    """The sample site."""
    return make_site(tmp_path)


@pytest.mark.parametrize("slug", [
    "../../x", "..", ".", "../x", "x/../../y", "a/b", "/tmp/x", "/etc/cron.d/x", "a\\b", "..\\..\\x", ".hidden",
    "x.md", "Upper", "a b", "a\nb", "-x", "x-", "a--b", "", "é", "x" * 121,
])
def test_a_slug_that_is_not_a_plain_name_is_refused(site, capsys, slug):
    """`new news "x" --slug ...`: exit 1, one line, nothing written anywhere in the site (nor outside it)."""
    before = tree(site.parent)
    code, out, err = main("new", "news", "x", f"--slug={slug}", "--config", str(site / "config.yaml"), capsys=capsys)
    assert (code, out) == (1, "")
    assert err == f"error: --slug {slug!r} is not a plain name: {SLUG_HINT}\n"
    assert tree(site.parent) == before


def test_a_plain_slug_is_used_as_it_is(site, capsys):
    """A good --slug names the file and the address."""
    code, out, _ = main("new", "news", "Titre", "--slug", "official-launch-2", "--lang", "fr", "--config", str(site / "config.yaml"), capsys=capsys)
    assert code == 0
    assert out.splitlines()[0] == "created content/news/official-launch-2.fr.md"


def test_a_title_with_a_line_break_is_refused(site, capsys):
    """A control character in the title would break the front matter: refused, nothing written."""
    before = tree(site)
    code, _, err = main("new", "news", "Two\nlines", "--config", str(site / "config.yaml"), capsys=capsys)
    assert (code, err) == (1, "error: the title contains a control character (a line break, a tab...): write it on one line\n")
    assert tree(site) == before


def test_a_very_long_title_gives_a_name_of_at_most_120_characters(site, capsys):
    """The name made from a long title is cut at a word boundary: no file name too long for the disk."""
    code, out, _ = main("new", "news", "word " * 100, "--config", str(site / "config.yaml"), capsys=capsys)
    assert code == 0
    name = out.splitlines()[0].removeprefix("created content/news/").removesuffix(".md")
    assert name == "-".join(["word"] * 24) and len(name) <= 120


@pytest.mark.parametrize("url", [
    "https://x.org/a\\b/", "https://x.org/a\"onmouseover=alert(1)//", "javascript:alert(1)", "https://x.org/?q=1",
    "https://x.org/#top", "https://user:pw@x.org/", "https://x.org/../", "https://x.org/a/./b/", "https://x.org/.git/",
    "ftp://x.org/", "https://x y/", "https://", "https://x.org//a/", "https://-x.org/", "https://x.org:port/", "x.org",
])
def test_a_base_url_that_is_not_a_plain_address_is_a_usage_error(site, capsys, url):
    """`--base-url` junk: exit 2, one line naming the option, nothing built."""
    code, out, err = main("--config", str(site / "config.yaml"), "--base-url", url, capsys=capsys)
    assert (code, out) == (2, "")
    assert err == f"error: argument --base-url: {url!r} is not an address like https://example.org/ or https://example.org/portal/ {BASE_URL_HELP}\n"
    assert not (site / "public").exists()


@pytest.mark.parametrize("url", ["https://mib.example.org/", "http://127.0.0.1:8080/portal/", "https://u.github.io/mib-portal"])
def test_a_plain_base_url_builds(site, capsys, url):
    """Plain addresses, with a port or a path, still build."""
    code, _, err = main("--config", str(site / "config.yaml"), "--no-search", "-q", "--base-url", url, capsys=capsys)
    assert (code, err) == (0, "")


def test_the_same_rule_applies_to_base_url_in_config(site, capsys):
    """base_url in config.yaml is checked alike: an error on its line."""
    path = site / "config.yaml"
    path.write_text(path.read_text().replace("base_url: https://sample.example.org/", 'base_url: "https://sample.example.org/a\\\\b/"'))
    code, _, err = main("--config", str(path), "--no-search", capsys=capsys)
    assert code == 1
    assert err.splitlines()[0] == ("config.yaml:7: error: 'base_url' has an invalid value 'https://sample.example.org/a\\\\b/' "
                                   "(write the address like https://example.org/ or https://example.org/portal/: "
                                   "letters, digits, '.', '-', '_', '~' and '/' only)")


def test_iframe_hosts_are_host_names(site, capsys):
    """An iframe_allow entry is a host name, never CSP syntax (it is written into the Content-Security-Policy)."""
    path = site / "config.yaml"
    path.write_text(path.read_text().replace("iframe_allow: [video.example.org]", "iframe_allow: [\"x.org; script-src *\"]"))
    code, _, err = main("--config", str(path), "--no-search", capsys=capsys)
    assert code == 1
    assert err.splitlines()[0] == ("config.yaml:19: error: 'iframe_allow[1]' has an invalid value 'x.org; script-src *' "
                                   "(write a host name only, like www.youtube-nocookie.com)")


@pytest.mark.parametrize(("jobs", "message"), [
    ("0", "must be 1 or more, got 0 (leave --jobs out to use every core)"),
    ("-3", "must be 1 or more, got -3 (leave --jobs out to use every core)"),
    ("two", "'two' is not a whole number (leave --jobs out to use every core)"),
    ("1.5", "'1.5' is not a whole number (leave --jobs out to use every core)"),
])
def test_jobs_below_one_is_a_usage_error(site, capsys, jobs, message):
    """--jobs 0 or less, or not a number: exit 2, one line."""
    code, _, err = main("--config", str(site / "config.yaml"), "--jobs", jobs, capsys=capsys)
    assert (code, err) == (2, f"error: argument --jobs: {message}\n")


def test_jobs_above_the_cores_is_capped():
    """--jobs 10000 starts as many workers as there are cores, never more."""
    cores = len(os.sched_getaffinity(0))
    assert cli.parse_args(["--jobs", "10000"])[1].jobs == cores
    assert cli.parse_args(["build", "--jobs", "1"])[1].jobs == 1


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(capsys, port):
    """serve --port junk: exit 2, one line (it used to be a traceback from the socket)."""
    code, _, err = main("serve", "--port", port, capsys=capsys)
    assert (code, err) == (2, f"error: argument --port: {port!r} is not a port number (0 to 65535)\n")


def test_every_usage_error_is_one_line(capsys):
    """argparse's own errors too: one line, exit 2, a pointer to --help."""
    code, _, err = main("--no-such-option", capsys=capsys)
    assert (code, err) == (2, "error: unrecognized arguments: --no-such-option (see 'python build.py --help')\n")
    code, _, err = main("new", "essay", "x", capsys=capsys)
    assert code == 2 and err.startswith("error: argument kind: invalid choice: 'essay'") and err.count("\n") == 1


def test_new_reports_a_folder_it_cannot_write(site, capsys, monkeypatch):
    """An OSError while writing the draft (a read-only folder, a full disk): one line, exit 1."""
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(site / "content/news/x.md"))

    monkeypatch.setattr(Path, "mkdir", refuse)
    code, _, err = main("new", "news", "x", "--config", str(site / "config.yaml"), capsys=capsys)
    assert (code, err) == (1, f"error: cannot write {site}/content/news/x.md: Permission denied (check the permissions of the content folder)\n")


def test_an_interrupted_build_says_so_in_one_line(site, capsys, monkeypatch):
    """Ctrl-C during a build: exit 130 and one line, no traceback."""
    def interrupted(_opts):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build", interrupted)
    assert main("--config", str(site / "config.yaml"), capsys=capsys) == (130, "", "build interrupted\n")
