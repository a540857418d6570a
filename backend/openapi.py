"""``python -m backend.openapi``: write the contract to docs/backend-openapi.json.

The committed document is what integrators read; a test fails when the code and
the document disagree, so regenerate it with this command after changing the API.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from backend.app import create_app

DOC = Path(__file__).resolve().parents[1] / "docs" / "backend-openapi.json"


def contract() -> str:
    with tempfile.TemporaryDirectory() as folder:
        spec = create_app(Path(folder) / "db.sqlite").openapi()
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    DOC.write_text(contract(), encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)
