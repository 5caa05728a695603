"""Write each addon's README.rst from its OCA-style readme/ fragments.

Usage: python scripts/gen_readme.py [--check]   (--check: fail if a README.rst is stale)
"""

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("DESIGN.md", "Design decisions"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
]


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    out = ["=" * len(title), title, "=" * len(title), ""]
    out += [manifest["summary"], "", ".. contents::", "   :local:", ""]
    for fname, heading in SECTIONS:
        path = addon / "readme" / fname
        if not path.exists():
            continue
        if heading:
            out += [heading, "=" * len(heading), ""]
        out += [path.read_text().rstrip(), ""]
    out += ["Credits", "=======", "", f"Authors: {manifest['author']}", ""]
    contributors = addon / "readme" / "CONTRIBUTORS.md"
    if contributors.exists():
        out += ["Contributors", "------------", ""]
        out += [contributors.read_text().rstrip(), ""]
    out += [f"License: {manifest['license']}", ""]
    return "\n".join(out)


def main():
    check = "--check" in sys.argv
    stale = []
    for manifest in sorted(ROOT.glob("*/__manifest__.py")):
        addon = manifest.parent
        text = render(addon)
        target = addon / "README.rst"
        if target.exists() and target.read_text() == text:
            continue
        if check:
            stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_text(text)
    if stale:
        sys.exit(f"stale: {', '.join(stale)} (run python scripts/gen_readme.py)")


if __name__ == "__main__":
    main()
