"""docker/: the compose file against the Compose Specification's JSON schema, and the Dockerfile's structure.

No Docker engine here (and no Docker Hub), so the image is never built in the tests: these checks are what
can be verified without one.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml

from app.config import ROOT

DOCKER = ROOT / "docker"
SCHEMA = Path(__file__).parent / "data" / "compose-spec" / "compose-spec.json"


def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in dockerfile.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        word, _, rest = full.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def test_compose_file_is_valid_against_the_compose_specification() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator(schema)
    errors = sorted(validator.iter_errors(compose()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_the_schema_catches_a_broken_compose_file() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = compose()
    broken["services"]["app"]["depends_on"]["db"]["condition"] = "when_ready"
    broken["services"]["worker"]["restart_policy"] = "always"
    assert len(list(jsonschema.Draft201909Validator(schema).iter_errors(broken))) == 2


def test_compose_runs_postgis_app_and_worker_with_named_volumes() -> None:
    c = compose()
    services = c["services"]
    assert set(services) == {"db", "app", "worker"}
    assert re.fullmatch(r"postgis/postgis:15-3\.\d+", services["db"]["image"])  # the official image, pinned
    assert "pgdata" in c["volumes"] and "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert services["worker"]["command"] == ["tailings", "worker"]
    assert services["worker"]["image"] == services["app"]["image"]  # one image, two commands
    for name in ("app", "worker"):
        env = services[name]["environment"]
        assert "@db:5432/" in env["TAILINGS_DATABASE_URL"]
        assert ":?" in env["TAILINGS_SECRET_KEY"]  # compose refuses to start without a secret key
        assert "files:/srv/tailings/var/files" in services[name]["volumes"]  # one file store for both
    assert services["app"]["build"]["dockerfile"] == "docker/Dockerfile"
    assert (DOCKER / services["app"]["build"]["context"] / services["app"]["build"]["dockerfile"]).is_file()
    # the app is published on loopback only: a reverse proxy with TLS goes in front
    assert all(p.startswith("127.0.0.1:") for p in services["app"]["ports"])
    # compose waits longer than the service's own graceful shutdown before it kills
    grace = int(services["app"]["stop_grace_period"].rstrip("s"))
    assert grace > float(services["app"]["environment"]["TAILINGS_SHUTDOWN_TIMEOUT_S"])


def test_dockerfile_structure() -> None:
    ins = instructions(DOCKER / "Dockerfile")
    words = [w for w, _ in ins]
    base = dict(ins)["FROM"]
    assert ":" in base and not base.endswith(":latest")  # a pinned base image
    users = [arg for w, arg in ins if w == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")  # runs as a non-root user
    assert words.index("USER") < words.index("CMD")
    health = dict(ins)["HEALTHCHECK"]
    assert "/readyz" in health and "--interval" in health
    cmd = json.loads(dict(ins)["CMD"])  # exec form, so that the signal reaches the process
    assert "exec tailings serve" in cmd[-1]
    runs = " ".join(arg for w, arg in ins if w == "RUN")
    assert not re.search(r"(curl|wget)[^|;&]*\|\s*(ba|z)?sh", runs)  # nothing piped from the network into a shell
    assert "fonts-noto-cjk" in runs and re.search(r"postgresql-client-\d+", runs)
    assert "rm -rf /var/lib/apt/lists" in runs
    for w, arg in ins:
        if w == "COPY":
            *sources, _ = shlex.split(arg)
            for src in sources:
                assert (ROOT / src).exists(), f"COPY {src}: not in the repository"


def test_the_structural_lint_catches_a_bad_dockerfile(tmp_path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN curl -fsSL https://x.example/install \\\n  | sh\nCMD tailings serve\n")
    ins = instructions(bad)
    assert [w for w, _ in ins] == ["FROM", "RUN", "CMD"]
    assert re.search(r"(curl|wget)[^|;&]*\|\s*(ba|z)?sh", ins[1][1])
    with pytest.raises(ValueError):
        ins.index(("USER", ""))


def test_compose_secret_variables_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8") + (DOCKER / "README.md").read_text(encoding="utf-8")
    for var in ("TAILINGS_DB_PASSWORD", "TAILINGS_SECRET_KEY", "tailings backup", "tailings worker"):
        assert var in readme
