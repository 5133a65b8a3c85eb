"""The `moodline` namespace: every package folder is in the wheel, and the old names are gone;
installed code never reaches into the checkout around it (issue 13)."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

import moodline

REPO = Path(__file__).resolve().parents[2]


def _setuptools() -> dict[str, object]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    tool: dict[str, object] = config["tool"]["setuptools"]
    return tool


def _expected_packages() -> set[str]:
    """Every folder with an __init__.py under a mapped folder, by its `moodline.` name."""
    mapping: dict[str, str] = _setuptools()["package-dir"]  # type: ignore[assignment]
    found = set()
    for package, folder in mapping.items():
        root = REPO / folder
        for init in root.rglob("__init__.py"):
            relative = init.parent.relative_to(root).parts
            found.add(".".join((package, *relative)))
    return found


DATA_PACKAGES = {"moodline.extension"}  # files only: the browser extension


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    listed = set(_setuptools()["packages"])  # type: ignore[call-overload]
    assert listed == _expected_packages() | DATA_PACKAGES


def test_every_listed_package_is_mapped_to_a_folder_in_the_namespace() -> None:
    mapping: dict[str, str] = _setuptools()["package-dir"]  # type: ignore[assignment]
    assert all(name == "moodline" or name.startswith("moodline.") for name in mapping)
    code = {name: folder for name, folder in mapping.items() if name not in DATA_PACKAGES}
    assert all((REPO / folder / "__init__.py").is_file() for folder in code.values())


def test_the_package_imports_from_its_namespace() -> None:
    assert moodline.__version__
    assert Path(moodline.__file__).name == "__init__.py"


def shipped_extension_files(root: Path) -> dict[str, bytes]:
    """The extension's files under `root` as the package ships them (no tests, no key file)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not p.relative_to(root).as_posix().startswith(("tests/", "public-key.b64"))
    }


def test_the_installed_extension_files_are_the_repos() -> None:
    from moodline.deploy.extension_files import extension_dir

    installed = shipped_extension_files(extension_dir())
    assert installed == shipped_extension_files(REPO / "extension")
    assert "manifest.json" in installed and "managed_schema.json" in installed


# Installed code must not find its data by walking out of its package folder: in the wheel there
# is no checkout around it (no `tests/`, no `../shared`). Package data goes through
# importlib.resources (`moodline.models.regression_dir()`); the training data is `--data-root`.
INSTALLED_FOLDERS = ("board", "cli", "daemon", "models", "widget", "deploy")
OUTSIDE_SEGMENTS = {"..", "tests", "shared"}
PATH_CALLS = {"Path", "PurePath", "joinpath", "join"}


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    return node.func.attr if isinstance(node.func, ast.Attribute) else None


def _levels_up(node: ast.AST) -> int | None:
    """How many folders `node` climbs from `__file__` (`Path(__file__).parent` is 1), or None
    when it is no path derived from `__file__` (names bound to one are not followed)."""
    if isinstance(node, ast.Name):
        return 0 if node.id == "__file__" else None
    if isinstance(node, ast.Call):
        name, args = _call_name(node), node.args
        if isinstance(node.func, ast.Attribute) and name in {"resolve", "absolute"}:
            return _levels_up(node.func.value)
        if name in {"Path", "PurePath", "realpath", "abspath"} and len(args) == 1:
            return _levels_up(args[0])
        up = _levels_up(args[0]) if name == "dirname" and len(args) == 1 else None
        return None if up is None else up + 1
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        up = _levels_up(node.value)
        return None if up is None else up + 1
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
        up = _levels_up(node.value.value) if node.value.attr == "parents" else None
        if up is None:
            return None
        index = node.slice.value if isinstance(node.slice, ast.Constant) else None
        return up + 1 + (index if isinstance(index, int) else 99)  # a computed index: any
    return None


def paths_out_of_package(source: str, depth: int) -> list[int]:
    """Lines of `source` that build a path out of its package: `__file__` climbed more than
    `depth` folders (the file's depth below its package folder, 1 for `models/x.py`), or a path
    segment "..", "tests" or "shared" joined with `/`, `Path(...)` or `join(...)`."""
    lines = set()
    for node in ast.walk(ast.parse(source)):
        up = _levels_up(node)
        if up is not None and up > depth:
            lines.add(node.lineno)  # type: ignore[attr-defined]
        operands: list[ast.expr] = []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            operands = [node.left, node.right]
        elif isinstance(node, ast.Call) and _call_name(node) in PATH_CALLS:
            operands = node.args
        for operand in operands:
            text = operand.value if isinstance(operand, ast.Constant) else None
            if isinstance(text, str) and OUTSIDE_SEGMENTS & set(re.split(r"[/\\]", text)):
                lines.add(operand.lineno)
    return sorted(lines)


def test_no_installed_module_reaches_outside_its_package() -> None:
    found = []
    for folder in INSTALLED_FOLDERS:
        for path in sorted((REPO / folder).rglob("*.py")):
            relative = path.relative_to(REPO)
            depth = len(relative.parts) - 1
            lines = paths_out_of_package(path.read_text(encoding="utf-8"), depth)
            found += [f"{relative.as_posix()}:{line}" for line in lines]
    assert found == [], "installed code must not read the checkout around it"


@pytest.mark.parametrize(
    "line",
    [
        'REGRESSION = Path(__file__).resolve().parents[1] / "tests" / "regression"',
        "REPO = Path(__file__).resolve().parents[1]",
        "REPO = Path(__file__).parent.parent",
        "REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))",
        'DATA = REPO.parent / "shared" / "data"',
        'DATA = Path("../shared/data")',
        'SUITE = HERE / "tests/regression"',
    ],
)
def test_the_check_catches_a_path_out_of_the_package(line: str) -> None:
    assert paths_out_of_package(line, depth=1) == [1]


@pytest.mark.parametrize(
    "line",
    [
        'CORPUS = Path(__file__).resolve().parent / "data" / "corpus"',
        "PACKAGE = Path(__file__).parents[1]",  # two folders down, e.g. cli/commands/x.py
        'LEFT_OUT = ("tests/", "public-key.b64")',
        'SOURCE = "shared/data/goemotions/group/train.tsv"',
        'print("pass --data-root ../shared/data")',
    ],
)
def test_the_check_allows_paths_inside_the_package(line: str) -> None:
    assert paths_out_of_package(line, depth=2) == []


def test_the_regression_suites_are_package_data() -> None:
    from moodline.models import regression_dir

    folder = regression_dir()
    names = {"chat_messages.jsonl", "hard_messages.jsonl", "conversations.jsonl"}
    assert names <= {p.name for p in folder.iterdir()}
    assert REPO / "tests" not in folder.resolve().parents
    globs: list[str] = _setuptools()["package-data"]["moodline.models"]  # type: ignore[index]
    assert "data/regression/*.jsonl" in globs


@pytest.mark.parametrize("module", ["train_shipped", "data_ablation"])
def test_training_needs_a_data_root_it_is_given(
    module: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib

    main = importlib.import_module(f"moodline.models.{module}").main
    monkeypatch.delenv("MOODLINE_TRAINING_DATA", raising=False)
    assert main([]) == 2
    error = capsys.readouterr().err
    assert "--data-root ../shared/data" in error and error.count("\n") == 1
