"""The README documents every setting and every dependency (editors and operators read it)."""

from __future__ import annotations

import re
import tomllib

import pytest

from bot.settings import REPO_ROOT, Settings

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"`{name.upper()}`" in README, f"document {name.upper()} in README.md's settings table"


def _requirements() -> list[str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        names += extra
    return sorted({_bare(name) for name in names})


def _bare(requirement: str) -> str:
    return re.split(r"[\[<>=~ ]", requirement.strip(), maxsplit=1)[0].lower()


@pytest.mark.parametrize("package", _requirements())
def test_every_dependency_is_in_the_readme_with_a_reason(package: str) -> None:
    table = README[README.index("## Dependencies") :]
    assert re.search(rf"\b{re.escape(package)}\b", table, re.IGNORECASE), (
        f"say why {package} is needed"
    )


def test_the_readme_names_no_package_that_is_not_declared() -> None:
    table = README[README.index("## Dependencies") :].split("\n\n")[1]
    rows = [line.split("|")[1] for line in table.splitlines()[2:]]
    named = {_bare(name) for row in rows for name in row.split(":")[-1].split(",")}
    assert named - set(_requirements()) == set(), "remove packages the project no longer uses"
