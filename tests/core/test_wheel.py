"""A wheel built from the checkout installs a styled site: it carries the front-end build
(made by `make assets`) and the templates, and Django finds the stylesheet in it.

Built with pip from a copy of the sources (so the checkout gets no build/ or egg-info), with
pip's configured package index for the build tools; the wheel is then used from a plain
folder ahead of the editable install, as an installed wheel would be.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / "whistledesk/frontend/build/whistledesk.css").exists():
        pytest.fail("The front-end build is missing: run `make assets` first")
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(
        ROOT / "whistledesk", src / "whistledesk", ignore=shutil.ignore_patterns("__pycache__")
    )
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
        + ["-w", str(work / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (built,) = (work / "dist").glob("whistledesk-*.whl")
    return built


def test_the_wheel_holds_the_front_end_build_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in [
        "whistledesk/frontend/build/whistledesk.css",
        "whistledesk/frontend/build/govuk-frontend.min.js",
        "whistledesk/frontend/build/assets/images/favicon.ico",
        "whistledesk/frontend/js/whistledesk.js",
        "whistledesk/core/templates/whistledesk/base.html",
        "whistledesk/intake/templates/intake/legal/privacy.html",
        "whistledesk/organisation/configs/childrens_commissioner.toml",
    ]:
        assert needed in names, needed


def test_the_installed_wheel_serves_its_stylesheet(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(site),
        DJANGO_SETTINGS_MODULE="whistledesk.config.settings.local",
        WHISTLEDESK_DATA_DIR=str(tmp_path / "data"),
    )
    script = (
        "import django, whistledesk; django.setup();"
        "from django.contrib.staticfiles import finders;"
        "from django.core.management import call_command;"
        "print(whistledesk.__file__); print(finders.find('build/whistledesk.css'));"
        "call_command('check')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=tmp_path,  # not the checkout, whose whistledesk/ would be imported first
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    package, css = done.stdout.splitlines()[:2]
    assert package.startswith(str(site)) and css.startswith(str(site)), done.stdout
    assert "whistledesk.W001" not in done.stderr
