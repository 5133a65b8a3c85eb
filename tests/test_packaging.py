"""The `moodline` namespace: every package folder is in the wheel, and the old names are gone."""

from __future__ import annotations

import tomllib
from pathlib import Path

import moodline

REPO = Path(__file__).resolve().parents[1]


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
