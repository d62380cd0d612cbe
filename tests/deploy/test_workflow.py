"""The CI workflow, its problem matcher and the shipped nginx example, checked without running anything slow."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from support import REPO, load_renderer, load_script

from .conftest import LONG_CACHE, MATCHER, SHORT_CACHE, WORKFLOW, require_tool

SAMPLE = "content/news/x.md:4: error: 'date' must be a date like 2024-01-15"


@pytest.fixture(scope="module")
def workflow() -> dict:
    """The workflow as data; YAML 1.1 reads the key `on` as True, so it is put back under "on"."""
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    """(job name, step) for every step of every job."""
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def runs(workflow: dict) -> list[str]:
    """Every `run:` script."""
    return [step["run"] for _, step in steps(workflow) if "run" in step]


def makefile_targets() -> set[str]:
    """Target names defined in the Makefile (`name:` at the start of a line; not variables' `:=`)."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:(?!=)", text, re.MULTILINE)}


def test_triggers(workflow):
    on = workflow["on"]
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(on)
    crons = [entry["cron"] for entry in on["schedule"]]
    assert crons, "the nightly schedule has no cron"
    for cron in crons:
        assert len(cron.split()) == 5, f"not a five-field cron: {cron!r}"


def test_build_runs_strict(workflow):
    build = workflow["jobs"]["build"]
    scripts = [step.get("run", "") for step in build["steps"]]
    assert any(re.search(r"build\.py\s+--strict", s) for s in scripts), "no step runs build.py --strict"
    assert any(re.search(r"^\s*make setup\b", s, re.MULTILINE) for s in scripts), "the build job does not set up with make setup"
    matcher = [s for s in scripts if "::add-matcher::" in s]
    assert matcher and ".github/mib-problem-matcher.json" in matcher[0]
    assert "build.py --strict" in matcher[0], "the matcher must be active while the build prints its problems"
    uploads = [step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert uploads and uploads[0]["with"]["path"].rstrip("/") == "public"


def test_caches(workflow):
    build = workflow["jobs"]["build"]
    python = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    assert python["with"]["cache"] == "pip"
    caches = {step["with"]["path"]: step["with"] for step in build["steps"] if step.get("uses", "").startswith("actions/cache@")}
    assert "hashFiles('pyproject.toml')" in caches[".venv"]["key"]
    assert "github.run_id" in caches[".cache"]["key"] and caches[".cache"]["restore-keys"].strip()


def test_tests_call_make_test(workflow):
    scripts = runs(workflow)
    tests = [s for s in scripts if re.search(r"\bpytest\b|\bmake\s+test\b|\.ci/run", s)]
    assert tests, "no step runs the tests"
    for script in tests:
        assert re.search(r"^\s*make test\s*$", script, re.MULTILINE), f"run the tests through `make test`: {script!r}"
        assert "pytest" not in script


def test_deploy_only_from_main(workflow):
    deploy = workflow["jobs"]["deploy"]
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert "build" in needs
    assert "refs/heads/main" in deploy["if"]
    assert "pull_request" in deploy["if"], "a pull request must never deploy"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])
    for name, job in workflow["jobs"].items():
        if name != "deploy":
            assert "pages" not in job.get("permissions", {}), f"only deploy may write to Pages ({name})"


def test_make_targets_exist(workflow):
    used = {m.group(1) for script in runs(workflow) for m in re.finditer(r"\bmake\s+([A-Za-z0-9][\w.-]*)", script)}
    assert used, "the workflow calls no make target"
    missing = used - makefile_targets()
    assert not missing, f"make targets used by the workflow but not in the Makefile: {sorted(missing)}"


def test_problem_matcher():
    matchers = json.loads(MATCHER.read_text(encoding="utf-8"))["problemMatcher"]
    pattern = matchers[0]["pattern"][0]
    found = re.match(pattern["regexp"], SAMPLE)
    assert found, "the matcher does not match a build problem line"
    assert found.group(pattern["file"]) == "content/news/x.md"
    assert found.group(pattern["line"]) == "4"
    assert found.group(pattern["severity"]) == "error"
    assert found.group(pattern["message"]) == "'date' must be a date like 2024-01-15"
    warning = re.match(pattern["regexp"], "config.yaml: warning: unknown key 'titel' (did you mean 'title'?)")
    assert warning and (warning.group(pattern["file"]), warning.group(pattern["line"])) == ("config.yaml", None)
    for line in ("build failed: nothing was published", "1 error, 0 warnings", "  en: 8 articles, 5 pages"):
        assert not re.match(pattern["regexp"], line), line


def test_problem_matcher_matches_real_build_output():
    """The build's own Problem formatting, not a hand-written sample, is what the matcher must read."""
    from sitegen.problems import ERROR, WARNING, Problem

    pattern = json.loads(MATCHER.read_text(encoding="utf-8"))["problemMatcher"][0]["pattern"][0]
    for problem in (Problem("content/news/a b.md", 12, ERROR, "bad: thing", "fix it"), Problem("templates/x.html", 3, WARNING, "w")):
        found = re.match(pattern["regexp"], str(problem))
        assert found, str(problem)
        assert found.group(pattern["file"]) == problem.path
        assert found.group(pattern["line"]) == str(problem.line)
        assert found.group(pattern["severity"]) == problem.level


def test_nginx_example_is_up_to_date():
    renderer = load_renderer()
    shipped = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert shipped == renderer.render_example(), "deploy/nginx.conf is stale: run python deploy/render_nginx.py --example"


def test_nginx_config_carries_hosting_settings():
    """Every header and cache lifetime of sitegen.publish.hosting, with `always` so errors get them too: once for the server, once
    for /admin/ (the one location with add_header, which drops the server's: all of them again, its own policy instead of the site's)."""
    from sitegen.publish.admin import admin_policy
    from sitegen.publish.hosting import SECURITY_HEADERS

    text = load_renderer().render_example()
    admin = re.search(r"location /admin/ \{[^}]*\}", text).group(0)
    server = text.replace(admin, "")
    for name, value in SECURITY_HEADERS.items():
        assert server.count(f'add_header {name} "{value}" always;') == 1, name
        expected = admin_policy() if name == "Content-Security-Policy" else value
        assert admin.count(f'add_header {name} "{expected}" always;') == 1, name
    assert f'"{LONG_CACHE}"' in text and f'"{SHORT_CACHE}"' in text
    assert "@@" not in text
    assert re.search(r"location\s+[^{]*\{[^}]*add_header", server) is None, "an add_header inside a location would drop the server's headers"


def test_a_missing_server_skips_locally_but_fails_in_ci(monkeypatch):
    """nginx and wrk may be missing on a laptop (skip), never in CI (fail): the load test must not vanish there."""
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install no-such-package"):
        require_tool("no-such-tool-mib", "no-such-package")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        require_tool("no-such-tool-mib", "no-such-package")


def test_an_hourly_run_rebuilds_only_when_a_state_change_is_due(workflow):
    """Besides the nightly run, an hourly one asks deploy/due.py; build and test wait for its answer (any other run is due)."""
    crons = [entry["cron"] for entry in workflow["on"]["schedule"]]
    assert "17 * * * *" in crons and "5 23 * * *" in crons
    script = workflow["jobs"]["due"]["steps"][-1]["run"]
    assert '"${{ github.event.schedule }}" = "17 * * * *"' in script and "python3 deploy/due.py" in script
    for name in ("build", "test"):
        assert (workflow["jobs"][name]["needs"], workflow["jobs"][name]["if"]) == ("due", "needs.due.outputs.due == 'true'")


@pytest.mark.parametrize(("build_json", "due"), [
    ('{"next_change": "2025-11-24T15:59:59Z"}', True),
    ('{"next_change": "2025-11-24T16:00:01Z"}', False),
    ('{"next_change": null}', False),
    ("not json", True),
    (None, True),
])
def test_due_compares_the_published_next_change_with_now(tmp_path, build_json, due):
    """A passed next_change is due, a later one or none is not; a build.json that cannot be read means rebuild."""
    module = load_script("due", REPO / "deploy" / "due.py")
    if build_json is not None:
        (tmp_path / "build.json").write_text(build_json, encoding="utf-8")
    assert module.is_due(tmp_path.as_uri() + "/", 1764000000) is due
