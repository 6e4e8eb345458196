"""The Dockerfile, checked by parsing it (no container engine runs on CI machines)."""

from __future__ import annotations

import json

import pytest
from dockerfile_parse import DockerfileParser

from bot.settings import REPO_ROOT


@pytest.fixture(scope="module")
def dockerfile() -> DockerfileParser:
    parser = DockerfileParser(path=str(REPO_ROOT / "Dockerfile"))
    return parser


def instructions(parser: DockerfileParser, name: str) -> list[str]:
    return [i["value"] for i in parser.structure if i["instruction"] == name]


def test_slim_python_base(dockerfile: DockerfileParser) -> None:
    assert dockerfile.baseimage.startswith("python:3.1")
    assert dockerfile.baseimage.endswith("-slim")


def test_runs_as_a_non_root_user_created_in_the_image(dockerfile: DockerfileParser) -> None:
    users = instructions(dockerfile, "USER")
    assert users and users[-1] not in ("root", "0")
    assert any("useradd" in run and users[-1] in run for run in instructions(dockerfile, "RUN"))


def test_exposes_the_port_the_service_listens_on(dockerfile: DockerfileParser) -> None:
    assert instructions(dockerfile, "EXPOSE") == ["8000"]
    env = dockerfile.envs
    assert env["PORT"] == "8000" and env["HOST"] == "0.0.0.0"


def test_healthcheck_calls_readyz(dockerfile: DockerfileParser) -> None:
    (check,) = instructions(dockerfile, "HEALTHCHECK")
    assert "/readyz" in check and "127.0.0.1:8000" in check


def test_command_serves_the_helpline(dockerfile: DockerfileParser) -> None:
    (command,) = instructions(dockerfile, "CMD")
    assert json.loads(command) == ["python", "-m", "bot", "run"]


def test_the_code_the_command_imports_is_compiled_in_the_image(
    dockerfile: DockerfileParser,
) -> None:
    """``python -m bot`` from WORKDIR imports ``./bot``; with PYTHONDONTWRITEBYTECODE set,
    Python never caches its bytecode, so it must be compiled at build time."""
    assert dockerfile.envs.get("PYTHONDONTWRITEBYTECODE") == "1"
    steps = [(i["instruction"], i["value"]) for i in dockerfile.structure]
    copied = steps.index(("COPY", "bot ./bot"))
    assert any(
        name == "RUN" and "compileall" in value and value.rstrip().endswith(" bot")
        for name, value in steps[copied + 1 :]
    ), "no RUN compiles ./bot after it is copied"


def test_catalogs_compiled_and_data_outside_the_image(dockerfile: DockerfileParser) -> None:
    assert any("pybabel compile" in run for run in instructions(dockerfile, "RUN"))
    assert dockerfile.envs["DATA_DIR"] == "/data"


def test_every_copied_path_exists_in_the_repository(dockerfile: DockerfileParser) -> None:
    for value in instructions(dockerfile, "COPY"):
        parts = [p for p in value.split() if not p.startswith("--")]
        for source in parts[:-1]:
            assert (REPO_ROOT / source).exists(), f"COPY {source}: not in the repository"


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = (REPO_ROOT / ".dockerignore").read_text().split()
    for entry in (".venv", "data", ".env", ".git"):
        assert entry in ignored


def test_graphviz_is_installed_for_the_admin_diagram(dockerfile: DockerfileParser) -> None:
    runs = instructions(dockerfile, "RUN")
    assert any(
        "apt-get install" in run and "graphviz" in run and "rm -rf /var/lib/apt/lists" in run
        for run in runs
    )


def _runs_and_copies(parser: DockerfileParser) -> list[tuple[str, str]]:
    return [
        (i["instruction"], i["value"])
        for i in parser.structure
        if i["instruction"] in ("RUN", "COPY")
    ]


def test_pinned_dependencies_are_installed_in_their_own_layer_before_the_code(
    dockerfile: DockerfileParser,
) -> None:
    steps = _runs_and_copies(dockerfile)
    deps = next(
        i for i, (kind, value) in enumerate(steps) if kind == "RUN" and "--requirement" in value
    )
    code = next(
        i for i, (kind, value) in enumerate(steps) if kind == "COPY" and value.split()[0] == "bot"
    )
    assert deps < code, "the dependency layer must not depend on the code"
    copied_before = " ".join(value for kind, value in steps[:deps] if kind == "COPY")
    assert "pyproject.toml" in copied_before and "constraints.txt" in copied_before
    assert "bot" not in copied_before.split() and "README.md" not in copied_before
    assert "--constraint constraints.txt" in steps[deps][1]
    (install,) = [v for k, v in steps[code:] if k == "RUN" and "pip install" in v]
    assert "--no-deps" in install, "the code layer installs no dependency of its own"


def test_the_image_installs_no_extras(dockerfile: DockerfileParser) -> None:
    installs = [run for run in instructions(dockerfile, "RUN") if "pip install" in run]
    assert installs and not any("[" in run.split("pip install", 1)[1] for run in installs)
    assert not any("editor" in run or "dev" in run.split() for run in installs)


def test_the_image_trains_its_classifier_at_build_where_the_service_looks(
    dockerfile: DockerfileParser,
) -> None:
    """A new container loads the baked-in content's classifier instead of training it for half
    a minute after each start: ``python -m bot train`` runs after the content is copied, with
    the same FLOWS_DIR and NLU_CACHE_DIR as the service, and the service's user owns the folder
    (content mounted over flows/ trains there in the background)."""
    steps = [(i["instruction"], i["value"]) for i in dockerfile.structure]
    trains = [n for n, (name, value) in enumerate(steps) if name == "RUN" and "bot train" in value]
    assert len(trains) == 1, "one RUN step trains the classifier"
    (train,) = trains
    copied = [n for n, (name, value) in enumerate(steps) if name == "COPY" and "flows" in value]
    envs = [
        n for n, (name, value) in enumerate(steps) if name == "ENV" and "NLU_CACHE_DIR" in value
    ]
    assert copied and copied[0] < train, "the content is in the image before it is trained"
    assert envs and envs[0] < train, "it trains into the folder the service will read"
    cache = dockerfile.envs["NLU_CACHE_DIR"]
    assert not cache.startswith("/data"), "not in the volume, which a mount would hide"
    assert f"chown -R helpline:helpline {cache}" in steps[train][1]
