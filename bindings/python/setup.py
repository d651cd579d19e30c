"""Builds the compiled half of `redress` (redress._redress) with the project's own CMake build.

    pip install --no-build-isolation bindings/python        # from the repository root

Needs, from Debian: cmake, a C++17 compiler, libyaml-cpp-dev, libboost-graph-dev,
pybind11-dev, python3-dev, python3-setuptools, python3-wheel (scripts/deps.sh installs them).
Nothing is downloaded. The package carries, besides the module: the `redress` command-line tool
(redress/bin/redress, run by the `redress` console script and `python -m redress`), the bundled
pack and the JSON Schemas (redress/share/redress/), and the type stubs. Environment knobs:
  REDRESS_BUILD_TYPE          CMake build type (default Release)
  CMAKE_BUILD_PARALLEL_LEVEL  parallel compile jobs (default 2)
  REDRESS_PREBUILT_DIR        a CMake build tree of this checkout, configured with
                              -DREDRESS_BUILD_PYTHON=ON for the same interpreter and built: its
                              module and CLI are packaged as they are (no compiling; the tests
                              use this)
Build files go to <repo>/build-pip/ (ignored by git), reused between installs.
"""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent  # the redress source tree (its top-level CMakeLists.txt)


def cmake_version():
    """The version of `project(redress VERSION x.y.z)` in the top CMakeLists.txt: the one place
    the number lives (the library, the CLI's --version and redress.__version__ read it too)."""
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    found = re.search(r"project\(\s*redress\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+)", text)
    if not found:
        raise RuntimeError(f"no 'project(redress VERSION x.y.z)' in {ROOT / 'CMakeLists.txt'}")
    return found.group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    """Configures the whole project with only the Python module enabled and builds it."""

    def build_extension(self, ext):
        if not (ROOT / "CMakeLists.txt").exists():
            raise RuntimeError(f"redress sources not found at {ROOT}: install from a checkout of the repository")
        package = Path(self.get_ext_fullpath(ext.name)).resolve().parent
        build_dir = self.cmake_build()
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = {
            build_dir / "python" / "redress" / f"_redress{suffix}": package / f"_redress{suffix}",
            build_dir / "redress": package / "bin" / "redress",
        }
        for source, target in built.items():
            if not source.exists():
                raise RuntimeError(f"CMake did not produce {source}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        # The data, laid out like an install prefix so that bin/redress finds it beside itself.
        share = package / "share" / "redress"
        shutil.rmtree(share, ignore_errors=True)
        shutil.copytree(ROOT / "playbooks", share / "playbooks", ignore=shutil.ignore_patterns("*~", ".*"))
        (share / "schemas").mkdir(parents=True)
        for schema in ("playbook.schema.json", "pack.schema.json", "playbook-tests.schema.json", "pack-tests.schema.json",
                       "case.schema.json", "decision.schema.json"):
            shutil.copy2(ROOT / "docs" / schema, share / "schemas" / schema)

    def cmake_build(self) -> Path:
        prebuilt = os.environ.get("REDRESS_PREBUILT_DIR")
        if prebuilt:
            return Path(prebuilt).resolve()
        build_dir = ROOT / "build-pip" / f"py{sys.version_info[0]}{sys.version_info[1]}"
        build_type = os.environ.get("REDRESS_BUILD_TYPE", "Release")
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            f"-DCMAKE_BUILD_TYPE={build_type}",
            "-DREDRESS_BUILD_PYTHON=ON",
            "-DREDRESS_BUILD_TESTS=OFF",
            "-DREDRESS_BUILD_CLI=ON",
            "-DREDRESS_BUILD_EXAMPLES=OFF",
            "-DREDRESS_INSTALL=OFF",
            f"-DPython3_EXECUTABLE={sys.executable}",
        ]
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.check_call(configure)
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "redress_python", "redress_cli",
                               "-j", jobs])
        return build_dir


setup(
    version=cmake_version(),
    ext_modules=[CMakeExtension("redress._redress")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
    # setuptools' own build tree beside CMake's, not inside bindings/python
    options={"build": {"build_base": str(ROOT / "build-pip" / "setuptools")}},
)
