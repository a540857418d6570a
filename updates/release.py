"""Build a bundle of this checkout: the application's wheel (stamped with the bundle's
version), the config example and the units, laid out as provisioning/install.py lays a
release out, and optionally the dependency wheels a release needs and the running one
lacks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from updates import bundle
from updates.layout import valid_version

SKIP = {".git", ".venv", "var", "build", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def _tracked(source: Path) -> list[Path]:
    listed = subprocess.run(["git", "-C", str(source), "ls-files", "-z"], capture_output=True)
    if listed.returncode == 0:
        return [Path(p) for p in listed.stdout.decode().split("\0") if p]
    return [p.relative_to(source) for p in source.rglob("*")
            if p.is_file() and not SKIP & set(p.relative_to(source).parts)]


def stamped_copy(source: Path, version: str, into: Path) -> None:
    """The checkout's files with pyproject's version set to the bundle's."""
    for rel in _tracked(source):
        if (source / rel).is_file():
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / rel, into / rel)
    pyproject = into / "pyproject.toml"
    text, n = re.subn(r'(?m)^version = "[^"]*"$', f'version = "{version}"',
                      pyproject.read_text(), count=1)
    if n != 1:
        raise bundle.Refused("pyproject.toml has no version line to stamp")
    pyproject.write_text(text)


def _cause(stderr: str) -> str:
    """pip's own line that says what went wrong, not its closing hint."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    causes = [line for line in lines if "Error" in line or line.startswith("error")]
    return (causes or lines or ["no output"])[0]


def build_bundle(source: Path, version: str, key: Path, cert: Path | None, out: Path,
                 wheels: Path | None = None) -> bundle.Manifest:
    if not valid_version(version):
        raise bundle.Refused(f"not a release version (PEP 440, e.g. 1.4.0 or 1.4.0rc1): "
                             f"{version!r}")
    with tempfile.TemporaryDirectory() as work:
        tree, payload = Path(work) / "tree", Path(work) / "payload"
        stamped_copy(source, version, tree)
        (payload / "wheels").mkdir(parents=True)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
             str(payload / "wheels"), str(tree)], capture_output=True, text=True)
        if result.returncode != 0:
            raise bundle.Refused(f"pip wheel failed: {_cause(result.stderr)}")
        (wheel,) = [p.name for p in (payload / "wheels").glob("*.whl")]
        for dep in sorted(wheels.glob("*.whl")) if wheels else []:
            shutil.copy(dep, payload / "wheels" / dep.name)
        (payload / "config").mkdir()
        shutil.copy(tree / "config/kiosk.toml", payload / "config/kiosk.toml")
        shutil.copytree(tree / "systemd", payload / "systemd")
        return bundle.build(payload, version, wheel, key, cert, out)
