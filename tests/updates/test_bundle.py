"""Bundles: a good one verifies and unpacks; every kind of bad one is refused with one
line before anything is written where a release would be."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from updates import bundle

WHEEL = "selfservice_kiosk-1.2.0-py3-none-any.whl"


def _payload(tmp: Path) -> Path:
    payload = tmp / "payload"
    (payload / "wheels").mkdir(parents=True)
    (payload / "wheels" / WHEEL).write_bytes(b"PK wheel bytes " * 100)
    (payload / "config").mkdir()
    (payload / "config/kiosk.toml").write_text("[terminal]\nid = 'T-1'\n")
    return payload


@pytest.fixture
def good(tmp_path, signer) -> Path:
    out = tmp_path / "good.bundle"
    bundle.build(_payload(tmp_path), "1.2.0", WHEEL, signer.key, signer.cert, out)
    return out


def test_a_signed_bundle_verifies_and_unpacks_with_its_hashes(good, signer, tmp_path):
    manifest = bundle.verify(good, signer.ca)
    assert manifest.version == "1.2.0"
    assert set(manifest.files) == {f"payload/wheels/{WHEEL}", "payload/config/kiosk.toml"}
    bundle.unpack(good, manifest, tmp_path / "out")
    assert (tmp_path / "out/config/kiosk.toml").read_text().startswith("[terminal]")


def test_a_bundle_signed_by_another_ca_is_refused(tmp_path, stranger, signer):
    out = tmp_path / "forged.bundle"
    bundle.build(_payload(tmp_path), "1.2.0", WHEEL, stranger.key, stranger.cert, out)
    with pytest.raises(bundle.Refused, match="openssl cms -verify"):
        bundle.verify(out, signer.ca)


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy a bundle member by member, letting ``change(name, data)`` alter or drop each."""
    with tarfile.open(source) as tar_in, tarfile.open(target, "w") as tar_out:
        for info in tar_in.getmembers():
            data = tar_in.extractfile(info).read()
            changed = change(info.name, data)
            if changed is None:
                continue
            info.size = len(changed)
            tar_out.addfile(info, io.BytesIO(changed))


def test_a_file_changed_after_signing_is_refused_after_unpacking(good, signer, tmp_path):
    bad = tmp_path / "bad.bundle"
    _rewrite(good, bad, lambda name, data: data.replace(b"wheel", b"WHEEL")
             if name.endswith(".whl") else data)
    manifest = bundle.verify(bad, signer.ca)  # same sizes: only the hash can tell
    with pytest.raises(bundle.Refused, match="does not match its signed hash"):
        bundle.unpack(bad, manifest, tmp_path / "out")


def test_a_changed_manifest_breaks_the_signature(good, signer, tmp_path):
    bad = tmp_path / "bad.bundle"
    _rewrite(good, bad, lambda name, data: data.replace(b"1.2.0", b"9.9.9")
             if name == "manifest.json" else data)
    with pytest.raises(bundle.Refused, match="verify"):
        bundle.verify(bad, signer.ca)


def test_an_extra_or_missing_member_is_refused(good, signer, tmp_path):
    extra = tmp_path / "extra.bundle"
    _rewrite(good, extra, lambda name, data: data)
    with tarfile.open(extra, "a") as tar:
        info = tarfile.TarInfo("payload/evil.sh")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"rm\n"))
    with pytest.raises(bundle.Refused, match="not in the signed manifest"):
        bundle.verify(extra, signer.ca)
    missing = tmp_path / "missing.bundle"
    _rewrite(good, missing, lambda name, data: None if name.endswith(".toml") else data)
    with pytest.raises(bundle.Refused, match="lacks signed file"):
        bundle.verify(missing, signer.ca)


def test_a_signed_manifest_naming_a_path_outside_the_payload_is_refused(tmp_path, signer):
    # Even the project's own key cannot ship ../ paths: the manifest model refuses them.
    good = tmp_path / "g.bundle"
    bundle.build(_payload(tmp_path), "1.2.0", WHEEL, signer.key, signer.cert, good)
    text = tmp_path / "m.json"
    with tarfile.open(good) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    manifest["files"]["payload/../../etc/passwd"] = manifest["files"].pop(
        "payload/config/kiosk.toml")
    text.write_text(json.dumps(manifest))
    with pytest.raises(Exception, match="unsafe path"):
        bundle.Manifest.model_validate_json(text.read_text())


def test_a_symlink_member_is_refused(good, signer, tmp_path):
    bad = tmp_path / "link.bundle"
    with tarfile.open(good) as tar_in, tarfile.open(bad, "w") as tar_out:
        for info in tar_in.getmembers():
            if info.name.endswith(".toml"):
                info.type, info.linkname, info.size = tarfile.SYMTYPE, "/etc/shadow", 0
                tar_out.addfile(info)
            else:
                tar_out.addfile(info, tar_in.extractfile(info))
    with pytest.raises(bundle.Refused, match="not the file the manifest signs"):
        bundle.verify(bad, signer.ca)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=4096))
def test_garbage_is_refused_never_a_traceback(tmp_path, signer, data):
    path = tmp_path / "garbage.bundle"
    path.write_bytes(data)
    with pytest.raises(bundle.Refused):
        bundle.verify(path, signer.ca)


@pytest.mark.parametrize("member", ["manifest.sig", f"payload/wheels/{WHEEL}"])
def test_a_download_cut_inside_a_member_is_refused(good, signer, tmp_path, member):
    with tarfile.open(good) as tar:
        offset = tar.getmember(member).offset_data + 10
    cut = tmp_path / "cut.bundle"
    cut.write_bytes(good.read_bytes()[:offset])
    with pytest.raises(bundle.Refused):
        bundle.verify(cut, signer.ca)
