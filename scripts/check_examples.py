#!/usr/bin/env python3
"""Checks that the Swift examples of the documentation are the compiled examples.

Every ```swift block of the documents below must appear in a file under Examples/ (the
`example-readme` and `my-benchmark` targets, which `swift build` compiles) or in one of the
test files below (which `swift test` compiles and runs):

- leading `import` lines of a block must stand among that file's lines;
- the rest of the block must stand in the file as consecutive lines, possibly indented as a
  whole (a snippet may be the body of a function there).

Blocks that are manifest fragments (first line `// Package.swift`) are skipped. Exits 1 and
names each block that is not found, with its document and line.

Usage: python3 scripts/check_examples.py   (from anywhere in the checkout)
"""
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCUMENTS = ["README.md", "Docs/Architecture.md", "Docs/CLIP.md", "Docs/Pipelines.md"] + sorted(
    os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "Sources/MKTPipeline/MKTPipeline.docc/*.md")))

# Tests that hold a document's example verbatim and run it.
EXAMPLE_TESTS = ["Tests/MKTTrainingTests/ArchitectureExampleTests.swift"]


def swift_blocks(path):
    """(first line number, lines) of each ```swift block, dedented."""
    blocks, current, start, indent = [], None, 0, ""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            stripped = line.lstrip(" ")
            if current is None:
                if stripped.startswith("```swift"):
                    current, start, indent = [], number + 1, line[: len(line) - len(stripped)]
            elif stripped.startswith("```"):
                blocks.append((start, current))
                current = None
            else:
                current.append(line[len(indent):] if line.startswith(indent) else line.strip())
    return blocks


def found_in(body, lines):
    """Whether `body` stands in `lines` as consecutive lines under one common extra indent."""
    first = next(i for i, l in enumerate(body) if l.strip())
    for at, line in enumerate(lines):
        if not line.endswith(body[first]) or line.strip() == "":
            continue
        pad = line[: len(line) - len(body[first])]
        if pad.strip():
            continue
        start = at - first
        if start < 0 or start + len(body) > len(lines):
            continue
        if all((lines[start + k].strip() == "" if not b.strip() else lines[start + k] == pad + b)
               for k, b in enumerate(body)):
            return True
    return False


def main():
    examples = {}
    paths = sorted(glob.glob(os.path.join(ROOT, "Examples/**/*.swift"), recursive=True))
    for path in paths + [os.path.join(ROOT, t) for t in EXAMPLE_TESTS]:
        with open(path, encoding="utf-8") as f:
            examples[os.path.relpath(path, ROOT)] = f.read().split("\n")
    if not examples:
        print("check_examples: no Swift files under Examples/")
        return 1
    problems, checked = [], 0
    for document in DOCUMENTS:
        for line_number, block in swift_blocks(document):
            if block and block[0].startswith("// Package.swift"):
                continue
            checked += 1
            k = 0
            while k < len(block) and (block[k].startswith("import ") or (k > 0 and not block[k].strip()
                                                                         and block[k - 1].startswith("import "))):
                k += 1
            imports = [l for l in block[:k] if l.strip()]
            body = block[k:]
            if not any(l.strip() for l in body):
                body, imports = block, []
            if not any(all(i in lines for i in imports) and found_in(body, lines) for lines in examples.values()):
                problems.append(f"{document}:{line_number}: this swift block is not in any file under Examples/ "
                                "(make the snippet and its example file agree)")
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"check_examples: {checked} snippets match Examples/ ({len(examples)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
