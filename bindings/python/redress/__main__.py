"""The `redress` command of the Python package: runs the C++ command-line tool shipped inside the
package (redress/bin/redress), so `redress ...` and `python -m redress ...` behave exactly as the
CLI built with CMake does: lint, eval, triage, test, graph, serve, with the same output and exit
codes (0 ok, 1 a finding, 2 bad usage or bad input)."""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def cli_path() -> str:
    """The C++ `redress` executable: $REDRESS_CLI, else the one inside this package."""
    env = os.environ.get("REDRESS_CLI")
    return env if env else os.path.join(_HERE, "bin", "redress")


def main(argv=None) -> int:
    exe = cli_path()
    args = sys.argv[1:] if argv is None else list(argv)
    if not os.access(exe, os.X_OK):
        sys.stderr.write(f"redress: error: the command-line tool is missing ({exe}); reinstall the "
                         "package, or set REDRESS_CLI to a built `redress`\n")
        return 2
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(exe, [exe] + args)  # only returns by raising
    return 2


if __name__ == "__main__":
    sys.exit(main())
