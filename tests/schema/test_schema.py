"""The JSON Schemas in docs/ (what VS Code's YAML extension uses to complete and check
playbooks) agree with the format: every bundled playbook, pack.yaml, test file, example and
golden valid file validates; every fixture in tests/schema/invalid/ does not, for the reason
its first line names (`# schema: TEXT`, TEXT found in the validation errors).

Run: /usr/bin/python3 -m pytest tests/schema   (needs python3-jsonschema, python3-yaml, python3-pytest)
With REDRESS_BIN set to the redress CLI, `redress lint` must reject the invalid playbook
fixtures too, so the schema never accepts what the loader refuses or the other way round.
"""
import json
import os
import pathlib
import re
import subprocess

import jsonschema
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
INVALID = pathlib.Path(__file__).resolve().parent / "invalid"
SCHEMA_FILES = {
    "playbook": "playbook.schema.json",
    "pack": "pack.schema.json",
    "tests": "playbook-tests.schema.json",
    "pack-tests": "pack-tests.schema.json",
    "case": "case.schema.json",          # test_case_decision_schema.py
    "decision": "decision.schema.json",
}
MODELINE = "# yaml-language-server: $schema={}"


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1, where `on`, `yes`, `off` are booleans and unquoted dates are
    timestamps. redress (yaml-cpp) and VS Code read YAML 1.2: those stay strings."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Yaml12Loader)


def kind_of(path):
    name = path.name
    if name in ("pack.yaml", "pack.yml") or name.endswith(".pack.yaml"):
        return "pack"
    if name in ("pack.test.yaml", "pack.test.yml") or name.endswith(".pack.test.yaml"):
        return "pack-tests"
    if ".test.y" in name:
        return "tests"
    return "playbook"


def _schemas():
    return {kind: json.loads((DOCS / file).read_text(encoding="utf-8")) for kind, file in SCHEMA_FILES.items()}


SCHEMAS = _schemas()


def validator(kind):
    """A draft-07 validator whose relative $refs (pack/tests -> playbook.schema.json) resolve
    to the files in docs/, as they do in an editor."""
    schema = SCHEMAS[kind]
    base = DOCS.as_uri() + "/"
    try:  # jsonschema >= 4.18 resolves through a registry
        import referencing
        import referencing.jsonschema
        resources = [(base + file, referencing.Resource.from_contents(SCHEMAS[k], default_specification=referencing.jsonschema.DRAFT7))
                     for k, file in SCHEMA_FILES.items()]
        registry = referencing.Registry().with_resources(resources)
        return jsonschema.Draft7Validator({**schema, "$id": base + SCHEMA_FILES[kind]}, registry=registry)
    except ImportError:  # Debian 12's jsonschema 4.10
        store = {base + file: SCHEMAS[k] for k, file in SCHEMA_FILES.items()}
        resolver = jsonschema.RefResolver(base + SCHEMA_FILES[kind], schema, store=store)
        return jsonschema.Draft7Validator(schema, resolver=resolver)


def error_texts(errors):
    """Every message and path of the errors and of their sub-errors (anyOf/oneOf branches)."""
    out = []
    for e in errors:
        out.append(e.message + " at /" + "/".join(str(p) for p in e.absolute_path))
        out.extend(error_texts(e.context or []))
    return out


def valid_files():
    """The bundled pack, the example packs (folders of examples/ with a pack.yaml) and the
    golden valid packs; case files are not playbooks."""
    files = sorted((ROOT / "playbooks").glob("*.yaml"))
    for pack in sorted((ROOT / "examples").rglob("pack.yaml")):
        files += sorted(pack.parent.glob("*.yaml"))
    files += sorted((ROOT / "tests" / "golden" / "ok").rglob("*.yaml"))
    files += sorted((ROOT / "tests" / "money").glob("*.yaml"))  # owed/goodwill, sign-offs, say checks
    files += sorted((ROOT / "tests" / "compound_guide").rglob("*.yaml"))  # authoring.md §14, compound: and covers:
    files.append(ROOT / "tests" / "compound" / "pack" / "pack.test.yaml")  # every compound expect key
    files += [f for f in sorted((ROOT / "tests" / "compound" / "pack").glob("*.yaml"))  # compound:, covers:
              if f.name != "pack.test.yaml"]
    return [f for f in files if ".case." not in f.name and "cases" not in f.parts]


def test_the_schemas_are_valid_draft_07():
    for schema in SCHEMAS.values():
        jsonschema.Draft7Validator.check_schema(schema)


def test_there_is_something_to_check():
    kinds = {kind_of(f) for f in valid_files()}
    assert kinds == {"playbook", "pack", "tests", "pack-tests"}
    assert len(list(INVALID.glob("*.yaml"))) >= 10


@pytest.mark.parametrize("path", valid_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_valid_files_validate(path):
    errors = list(validator(kind_of(path)).iter_errors(load_yaml(path)))
    assert not errors, "\n".join(error_texts(errors))


@pytest.mark.parametrize("path", [f for f in valid_files() if "golden" not in f.parts and "compound" not in f.parts],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_files_name_their_schema_on_the_first_line(path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    schema = os.path.relpath(DOCS / SCHEMA_FILES[kind_of(path)], path.parent)
    assert first == MODELINE.format(schema)


@pytest.mark.parametrize("path", sorted(INVALID.glob("*.yaml")), ids=lambda p: p.name)
def test_invalid_fixtures_do_not_validate(path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("# schema: "), "an invalid fixture names the expected error on its first line"
    want = first[len("# schema: "):].strip()
    errors = list(validator(kind_of(path)).iter_errors(load_yaml(path)))
    assert errors, "the schema accepts this invalid file"
    texts = error_texts(errors)
    assert any(want in t for t in texts), "expected an error containing %r, got:\n%s" % (want, "\n".join(texts))


@pytest.mark.skipif(not os.environ.get("REDRESS_BIN"), reason="REDRESS_BIN not set")
@pytest.mark.parametrize("path", [p for p in sorted(INVALID.glob("*.yaml")) if kind_of(p) == "playbook"],
                         ids=lambda p: p.name)
def test_the_loader_rejects_the_invalid_playbooks_too(path):
    run = subprocess.run([os.environ["REDRESS_BIN"], "lint", str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stdout + run.stderr
