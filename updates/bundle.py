"""A release bundle: a tar of payload files, a manifest of their hashes, and a CMS signature.

The signature (``openssl cms``, X.509, the tool every distribution ships) covers the
manifest; the manifest names every payload file with its size and SHA-256. Nothing is
unpacked before the signature and the member list are checked, and every file's hash is
checked again on disk after unpacking (RAUC #459: corrupt libraries shipped because
nothing looked after extraction).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from updates.layout import valid_version

MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
FORMAT = 1
MAX_FILES = 20_000
MAX_BYTES = 2 * 1024**3  # a bundle with every dependency wheel is well under this
MAX_MANIFEST = 4 * 1024**2


class Refused(Exception):
    """A bundle that must not be installed; the message is one line for the operator."""


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, le=MAX_BYTES)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    format: int
    version: str
    wheel: str  # the application's wheel, under payload/wheels/
    files: dict[str, FileEntry] = Field(max_length=MAX_FILES)

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not valid_version(value):
            raise ValueError("not a release version")
        return value

    @field_validator("files")
    @classmethod
    def _paths(cls, files: dict[str, FileEntry]) -> dict[str, FileEntry]:
        for name in files:
            if not safe_member(name):
                raise ValueError(f"unsafe path {name!r}")
        return files


def safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (name == str(path) and not path.is_absolute() and path.parts[:1] == ("payload",)
            and ".." not in path.parts and len(path.parts) > 1 and "\\" not in name
            and all(c.isprintable() for c in name))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _openssl(*argv: str) -> None:
    result = subprocess.run(["openssl", *argv], capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise Refused(f"openssl {argv[0]} {argv[1]}: {last}")


def build(payload: Path, version: str, wheel: str, key: Path, cert: Path | None,
          out: Path) -> Manifest:
    """Write a signed bundle of every file under ``payload`` (kept as payload/...)."""
    files = {}
    for path in sorted(p for p in payload.rglob("*") if p.is_file() and not p.is_symlink()):
        name = f"payload/{path.relative_to(payload).as_posix()}"
        files[name] = FileEntry(sha256=_sha256(path), size=path.stat().st_size)
    manifest = Manifest(format=FORMAT, version=version, wheel=wheel, files=files)
    if f"payload/wheels/{wheel}" not in files:
        raise Refused(f"the payload has no payload/wheels/{wheel}")
    with tempfile.TemporaryDirectory() as work:
        text = Path(work) / MANIFEST
        text.write_text(manifest.model_dump_json(indent=1) + "\n")
        sig = Path(work) / SIGNATURE
        signer = ["-signer", str(cert or key), "-inkey", str(key)]
        _openssl("cms", "-sign", "-binary", "-outform", "DER", "-in", str(text),
                 "-out", str(sig), *signer, "-md", "sha256", "-nosmimecap")
        temp = out.with_name(f".{out.name}.partial")
        with tarfile.open(temp, "w", format=tarfile.PAX_FORMAT) as tar:
            for member, path in [(MANIFEST, text), (SIGNATURE, sig)] + [
                    (name, payload / name.removeprefix("payload/")) for name in files]:
                info = tar.gettarinfo(str(path), arcname=member)
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                info.mode = 0o644
                with open(path, "rb") as f:
                    tar.addfile(info, f)
        os.replace(temp, out)
    return manifest


def _read_member(tar: tarfile.TarFile, name: str, cap: int) -> bytes:
    try:
        info = tar.getmember(name)
    except KeyError:
        raise Refused(f"not a bundle: no {name}") from None
    if not info.isreg() or info.size > cap:
        raise Refused(f"not a bundle: {name} is not a regular file under {cap} bytes")
    stream = tar.extractfile(info)
    assert stream is not None
    return stream.read()


def verify(bundle: Path, cert: Path) -> Manifest:
    """The bundle's manifest when its signature chains to ``cert`` and its members are
    exactly the manifest's files; Refused otherwise. Nothing is written but temp files."""
    try:
        tar = tarfile.open(bundle, "r:")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as err:
        raise Refused(f"not a bundle: {err}") from None
    with tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, EOFError, OSError) as err:
            raise Refused(f"not a bundle (damaged tar): {err}") from None
        text = _read_member(tar, MANIFEST, MAX_MANIFEST)
        sig = _read_member(tar, SIGNATURE, 64 * 1024)
        with tempfile.TemporaryDirectory() as work:
            (Path(work) / MANIFEST).write_bytes(text)
            (Path(work) / SIGNATURE).write_bytes(sig)
            _openssl("cms", "-verify", "-binary", "-inform", "DER",
                     "-in", str(Path(work) / SIGNATURE), "-content", str(Path(work) / MANIFEST),
                     "-CAfile", str(cert), "-purpose", "any", "-out", os.devnull)
        try:
            manifest = Manifest.model_validate_json(text)
        except ValidationError as err:
            raise Refused(f"bad manifest: {err.errors()[0]['msg']}") from None
        if manifest.format != FORMAT:
            raise Refused(f"bundle format {manifest.format}, this terminal reads {FORMAT}")
        _check_members(members, manifest)
    return manifest


def _check_members(members: list[tarfile.TarInfo], manifest: Manifest) -> None:
    seen: set[str] = set()
    total = 0
    for info in members:
        if info.name in (MANIFEST, SIGNATURE):
            continue
        entry = manifest.files.get(info.name)
        if entry is None or info.name in seen:
            raise Refused(f"bundle member not in the signed manifest: {info.name!r}")
        if not info.isreg() or info.size != entry.size:
            raise Refused(f"bundle member {info.name!r} is not the file the manifest signs")
        seen.add(info.name)
        total += info.size
    missing = set(manifest.files) - seen
    if missing:
        raise Refused(f"bundle lacks signed file {sorted(missing)[0]!r}")
    if total > MAX_BYTES:
        raise Refused("bundle too large")


def unpack(bundle: Path, manifest: Manifest, into: Path) -> None:
    """Write the payload under ``into`` (payload/ stripped), fsync each file, then read
    it back from disk and check its hash against the manifest."""
    with tarfile.open(bundle, "r:") as tar:
        for info in tar.getmembers():
            if info.name in (MANIFEST, SIGNATURE):
                continue
            target = into / info.name.removeprefix("payload/")
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(info)
            assert source is not None
            with open(target, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
    for name, entry in manifest.files.items():
        path = into / name.removeprefix("payload/")
        if path.stat().st_size != entry.size or _sha256(path) != entry.sha256:
            raise Refused(f"{name} does not match its signed hash after unpacking")
