"""Compare the SQLAlchemy configuration of two model trees.

Usage: python compare.py LEFT_ROOT RIGHT_ROOT

Runs dump.py on each root in its own fresh interpreter (the one running this
script) and compares the two JSON documents.

Exit status:
  0  the configurations are equal
  1  they differ (a unified diff is printed), or either side raised while
     importing or configuring (the error is printed; errors never compare equal)
  2  the harness itself failed (dump.py did not produce a JSON document)
"""

import difflib
import json
import os
import subprocess
import sys

DUMP = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "src", "verify", "dump.py",
)

# A tree whose import hangs is a harness failure, not a difference.
TIMEOUT_SECONDS = 600


class HarnessError(Exception):
    pass


def dump(root):
    """Run dump.py on ``root`` in a fresh, isolated interpreter."""
    # -I: ignore PYTHON* variables and user site-packages, keep the script's
    # directory off sys.path; -B: write no bytecode into the tree.
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-B", DUMP, root],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise HarnessError("dump.py %s ran for more than %ds" % (root, TIMEOUT_SECONDS))
    try:
        document = json.loads(proc.stdout)
    except ValueError:
        raise HarnessError(
            "dump.py %s exited with %d without producing JSON\n--- stderr ---\n%s"
            % (root, proc.returncode, proc.stderr)
        )
    if not isinstance(document, dict):
        raise HarnessError("dump.py %s produced a non-object JSON document" % root)
    return document


def render(document):
    return json.dumps(document, sort_keys=True, indent=1).splitlines(keepends=True)


def main(argv):
    if len(argv) != 3:
        print("usage: compare.py LEFT_ROOT RIGHT_ROOT", file=sys.stderr)
        return 2
    left_root, right_root = argv[1], argv[2]
    try:
        left = dump(left_root)
        right = dump(right_root)
    except HarnessError as exc:
        print("compare.py: harness failure: %s" % exc)
        return 2

    failed = False
    for side, root, document in (("left", left_root, left), ("right", right_root, right)):
        if "error" in document:
            failed = True
            print("%s side (%s) failed during %s: %s"
                  % (side, root, document.get("stage", "?"), document["error"]))
            print(document.get("traceback", ""))
    if failed:
        return 1

    if left == right:
        print("equal")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(render(left), render(right), left_root, right_root)
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
