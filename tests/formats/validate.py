"""Validate the JSON document on stdin against a JSON schema.

Usage: validate.py SCHEMA CACHE_DIR

SCHEMA is a schema file, or `sarif` for the SARIF 2.1.0 schema (the OASIS
schema as published in the npm package @microsoft/jest-sarif 1.0.0-beta.0,
downloaded once from the npm registry into CACHE_DIR and checked against a
pinned sha256). Prints every violation and exits 1 when there is one.
"""

import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

import jsonschema

SARIF_TGZ = "https://registry.npmjs.org/@microsoft/jest-sarif/-/jest-sarif-1.0.0-beta.0.tgz"
SARIF_SHA256 = "748e2c3d1a842e7bb258416685c7ea3a0da40005b72267b2052c2856d48ad102"
SARIF_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"


def sarif_schema(cache: Path) -> dict:
    path = cache / "sarif-2.1.0-rtm.5.json"
    if not path.exists():
        data = urllib.request.urlopen(SARIF_TGZ, timeout=120).read()
        digest = hashlib.sha256(data).hexdigest()
        if digest != SARIF_SHA256:
            sys.exit(f"validate.py: {SARIF_TGZ} has sha256 {digest}, expected {SARIF_SHA256}")
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            member = tar.extractfile(SARIF_MEMBER)
            if member is None:
                sys.exit(f"validate.py: {SARIF_MEMBER} missing from {SARIF_TGZ}")
            schema = member.read()
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(schema)
        tmp.replace(path)
    return json.loads(path.read_text(encoding="utf-8"))


def main() -> int:
    which, cache = sys.argv[1], Path(sys.argv[2])
    schema = sarif_schema(cache) if which == "sarif" else json.loads(Path(which).read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    doc = json.load(sys.stdin)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        print(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
