"""The shipped tree itself: a merge never leaves its conflict markers behind (a template would
show them to everyone as text, and no page test looks for them)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ["suggestions", "templates", "static/css", "static/js", "migrations", "bench"]
SUFFIXES = {".py", ".html", ".css", ".js", ".po", ".lua", ".md", ".toml"}
MARKERS = ("<<<<<<< ", ">>>>>>> ", "|||||||")


@pytest.mark.parametrize("folder", SHIPPED)
def test_no_merge_conflict_markers(folder):
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / folder).rglob("*")
        if path.suffix in SUFFIXES and ".venv" not in path.parts
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if line.startswith(MARKERS) or line == "======="
    ]
    assert found == []
