"""The installed package — not the source tree — finds its profiles, catalogue, PDF templates
and CJK font. Builds a wheel, unpacks it elsewhere and imports from there."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builder.core.resources import cjk_font

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_carries_templates_and_finds_the_font(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(wheels), "."], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob("*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("import builder.core.resources as r, builder.profiles as k; "
             "[k.load_profile(n) for n in k.available()]; "
             "print(r.templates_dir()); print(r.cjk_font()); print(k.available())")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    templates, font, profiles = result.stdout.splitlines()
    assert templates == str(site / "builder" / "templates")
    assert font == str(cjk_font())
    assert "潼南" in profiles

    # every file of templates/ is in the wheel (a new kind of file needs its package-data line)
    shipped = {p.relative_to(site / "builder" / "templates") for p in (site / "builder" / "templates").rglob("*")
               if p.is_file()}
    ours = {p.relative_to(ROOT / "templates") for p in (ROOT / "templates").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    assert ours - shipped == set()

    # and the unpacked package builds a department, PDF included
    out = tmp_path / "out"
    built = subprocess.run([sys.executable, "-m", "builder", "build", str(ROOT / "input_yaml" / "tongnan-quwei-2023.yaml"),
                            "-o", str(out)], capture_output=True, text=True, cwd=tmp_path,
                           env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert built.returncode == 0, built.stdout + built.stderr
    assert (out / "tongnan-quwei-2023.pdf").read_bytes().startswith(b"%PDF")
