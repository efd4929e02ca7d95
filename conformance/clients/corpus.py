"""What both judges read of the corpus: its cases, and what `conformance replay` says of them."""

import json
import os
import subprocess
import tomllib


def fixture_cases(fixtures, wires):
    """Every case of `wires` under `fixtures`: (wire, case id, folder, case.toml)."""
    for wire in wires:
        root = os.path.join(fixtures, wire)
        for case_id in sorted(os.listdir(root)):
            case_dir = os.path.join(root, case_id)
            with open(os.path.join(case_dir, "case.toml"), "rb") as f:
                yield wire, case_id, case_dir, tomllib.load(f)


def replayed(conformance_bin, wire, case_dir, meta):
    """What `conformance replay` says of the case's bytes, whole."""
    args = [conformance_bin, "replay", "--wire", wire, "--status", str(meta["status"])]
    if meta.get("content_type"):
        args += ["--content-type", meta["content_type"]]
    out = subprocess.run(args + [os.path.join(case_dir, "response.body")],
                         check=True, capture_output=True)
    return json.loads(out.stdout)
