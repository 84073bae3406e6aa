#!/usr/bin/env python3
"""Checks that Package.swift is the import graph.

For every Swift target (library, executable, test; C targets include headers and are skipped) the `dependencies` row of its manifest entry
must list exactly the modules its Swift files `import`: the package's own targets and the
products of its package dependencies. System modules (Foundation, Glibc, Synchronization, …)
are not listed in a manifest and are ignored.

Usage: scripts/check_imports.py [PACKAGE_DIR]   (default: the repository root)
Exits 1 and prints one line per target that differs, naming the missing and the unused
dependencies; exits 0 and prints one summary line when every row matches.
"""

import json
import os
import re
import subprocess
import sys

# Modules that come with the toolchain or the platform, never listed in a manifest.
SYSTEM_MODULES = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML",
    "Dispatch", "Synchronization", "Glibc", "Darwin", "Musl", "Android", "WinSDK", "ucrt",
    "Observation", "RegexBuilder", "Distributed", "_Concurrency", "_StringProcessing",
    "Testing", "XCTest",
}

IMPORT = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public\s+|package\s+|internal\s+|fileprivate\s+|private\s+)?"
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)"
)


def manifest(package: str) -> dict:
    out = subprocess.run(["swift", "package", "--package-path", package, "dump-package"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def module(name: str) -> str:
    """The module a target is imported as (`my-benchmark` → `my_benchmark`)."""
    return name.replace("-", "_")


def declared(target: dict) -> set[str]:
    """The module names of a target's dependency row."""
    names = set()
    for dep in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dep:
                names.add(module(dep[kind][0]))
    return names


def imported(folder: str) -> set[str] | None:
    """The modules imported by the Swift files below `folder` (`.docc` catalogs excluded);
    `None` when it holds no Swift file (a C target)."""
    names, swift = set(), False
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.endswith(".docc")]
        for name in files:
            if not name.endswith(".swift"):
                continue
            swift = True
            with open(os.path.join(root, name), encoding="utf-8") as f:
                for line in f:
                    m = IMPORT.match(line)
                    if m:
                        names.add(m.group(1))
    return names if swift else None


def main() -> int:
    package = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                              os.path.join(os.path.dirname(__file__), ".."))
    m = manifest(package)
    targets = [t for t in m["targets"] if t["type"] in ("regular", "executable", "test")]
    known = {module(t["name"]) for t in m["targets"]}
    for t in m["targets"]:
        for dep in t.get("dependencies", []):
            if "product" in dep:
                known.add(module(dep["product"][0]))
    problems, checked = [], 0
    for t in targets:
        default = "Tests" if t["type"] == "test" else "Sources"
        folder = os.path.join(package, t.get("path") or os.path.join(default, t["name"]))
        found = imported(folder)
        if found is None:
            continue
        uses = found - SYSTEM_MODULES
        unknown = sorted(uses - known)
        checked += 1
        row = declared(t)
        missing = sorted((uses & known) - row)
        unused = sorted(row - uses)
        if missing or unused or unknown:
            parts = []
            if missing:
                parts.append("imports but does not list " + ", ".join(missing))
            if unused:
                parts.append("lists but does not import " + ", ".join(unused))
            if unknown:
                parts.append("imports modules that are neither package nor system modules: " + ", ".join(unknown))
            problems.append(f"Package.swift: target {t['name']}: " + "; ".join(parts))
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"check_imports: the dependency rows of {checked} Swift targets match their imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
