"""``make lab``: JupyterLab on ``notebooks/``, the ``.py`` notebooks as notebooks, on loopback,
fetching nothing. The server is started with the very command ``make lab`` runs
(``scripts/lab.py``) on a free port and asked over HTTP."""

from __future__ import annotations

import importlib.util
import json
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stafet_lab", ROOT / "scripts" / "lab.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lab = _load_script()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, str]]:
    """``(base URL, token)`` of a running JupyterLab started as ``make lab`` starts it."""
    port, token = _free_port(), secrets.token_hex(16)
    process = subprocess.Popen(
        lab.lab_command("127.0.0.1", port, token),
        env=lab.lab_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab stopped at start-up (code {process.returncode})")
            try:
                if httpx.get(f"{base}/api/status", params={"token": token}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("JupyterLab did not answer in time")
            time.sleep(0.3)
        yield base, token
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


pytestmark = pytest.mark.slow


def test_a_py_notebook_is_served_as_a_notebook(server: tuple[str, str]) -> None:
    base, token = server
    answer = httpx.get(f"{base}/api/contents/01_overblik.py", params={"token": token})
    assert answer.status_code == 200
    body = answer.json()
    assert body["type"] == "notebook"
    cells = body["content"]["cells"]
    assert any("load_knowledge" in "".join(cell["source"]) for cell in cells)


def test_python_files_open_in_the_notebook_view(server: tuple[str, str]) -> None:
    base, token = server
    settings = httpx.get(
        f"{base}/lab/api/settings/@jupyterlab/docmanager-extension:plugin",
        params={"token": token},
    ).json()
    viewers = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers == {"python": "Jupytext Notebook"}


def test_the_server_wants_a_token(server: tuple[str, str]) -> None:
    base, _ = server
    assert httpx.get(f"{base}/api/contents/01_overblik.py").status_code == 403


def test_nothing_is_fetched_from_outside(server: tuple[str, str]) -> None:
    base, token = server
    assert httpx.get(f"{base}/lab/api/news", params={"token": token}).json() == {"news": []}
    update = httpx.get(f"{base}/lab/api/update", params={"token": token}).json()
    assert update["notification"] is None
    page = httpx.get(f"{base}/lab", params={"token": token}).text
    config = json.loads(page.split('id="jupyter-config-data"', 1)[1].split(">", 1)[1].split("<")[0])
    assert config["news"] == {"disabled": True}
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    assert "@jupyterlab/extensionmanager-extension:plugin" in config["disabledExtensions"]


def test_jupyter_writes_nothing_into_the_shipped_configuration(server: tuple[str, str]) -> None:
    shipped = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "jupyter").rglob("*"))
    assert shipped == [
        "jupyter/jupyter_server_config.json",
        "jupyter/lab",
        "jupyter/lab/settings",
        "jupyter/lab/settings/overrides.json",
        "jupyter/labconfig",
        "jupyter/labconfig/page_config.json",
    ]


def test_the_shipped_configuration_turns_every_outbound_check_off() -> None:
    server_config = json.loads((ROOT / "jupyter" / "jupyter_server_config.json").read_text())
    assert server_config["ServerApp"]["ip"] == "127.0.0.1"
    assert server_config["ServerApp"]["open_browser"] is False
    assert server_config["LabApp"]["news_url"] is None
    assert server_config["LabApp"]["check_for_updates_class"] == "jupyterlab.NeverCheckForUpdate"
    assert server_config["LabApp"]["extension_manager"] == "readonly"
    overrides = json.loads((ROOT / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"checkForUpdates": False, "fetchNews": "false"}
    command = lab.lab_command("127.0.0.1", 1, "t")
    assert "--ServerApp.open_browser=False" in command
    assert f"--ServerApp.root_dir={ROOT / 'notebooks'}" in command
