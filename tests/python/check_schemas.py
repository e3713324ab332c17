#!/usr/bin/env python3
"""Second, independent check of the form schemas and samples with Python `jsonschema`.

Checks, for every form in `schemas/`:
  * the schema is valid against the draft 2020-12 metaschema;
  * the schema follows the conventions the Rust engine relies on (titles, descriptions,
    `additionalProperties: false`, enum titles, local refs, conditional blocks with `x-rule`);
  * every sample in `samples/<form>/valid/` passes the schema (formats checked), has substantive
    text where the schema asks for it and NHS numbers with a correct check digit;
  * every sample in `samples/<form>/invalid/` has an `_expect` list of known rule ids; with
    `_expect` stripped, Python reports exactly the schema and conditional (`x-rule`) ids it lists,
    and accepts the sample when it lists engine rules only.

Run from anywhere: `python3 tests/python/check_schemas.py`. Needs the pip package `jsonschema`
(4.18 or later). Exits non-zero on any failure and ends with `N passed, M failed`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - the message is the point
    sys.stderr.write(
        "check_schemas.py needs the Python package 'jsonschema' (pip install jsonschema).\n"
    )
    sys.exit(2)

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
SAMPLES = ROOT / "samples"

FORM_IDS = [
    "csprp-notification",
    "agency-summary",
    "rapid-review",
    "cdop-form-b",
    "final-report",
]

# Rule ids the Rust engine reports that a schema cannot express.
ENGINE_RULES = {
    "text.substantive",
    "nhs-number.check-digit",
    "child.under-18",
    "csprp-notification.aware-before-incident",
    "csprp-notification.notified-before-aware",
    "csprp-notification.born-after-incident",
    "csprp-notification.death-before-incident",
    "csprp-notification.late-without-reason",
    "agency-summary.period-order",
    "agency-summary.returned-before-period-end",
    "rapid-review.meeting-before-notification",
    "rapid-review.sent-before-meeting",
    "rapid-review.sent-late",
    "rapid-review.decision-inconsistent",
    "rapid-review.decision-shared-before-meeting",
    "rapid-review.panel-ofsted-dfe-told-late",
    "rapid-review.family-told-late",
    "cdop-form-b.death-before-birth",
    "cdop-form-b.completed-before-death",
    "final-report.recommendation-owner",
    "final-report.recommendation-date",
    "final-report.scope-period-order",
    "final-report.publication-delay-reason",
    "final-report.panel-notice-too-short",
    "final-report.ofsted-notice-too-short",
}

# Keyword of a failed schema check -> rule id the engine reports.
KEYWORD_RULES = {
    "required": "schema.required",
    "type": "schema.type",
    "format": "schema.format",
    "enum": "schema.enum",
    "const": "schema.const",
    "additionalProperties": "schema.additional-property",
    "minItems": "schema.min-items",
    "maxItems": "schema.max-items",
    "pattern": "schema.pattern",
    "minimum": "schema.minimum",
    "maximum": "schema.maximum",
    "contains": "schema.contains",
}

PLACEHOLDERS = {
    "n/a", "na", "n.a.", "tbc", "tbd", "to be confirmed", "to follow", "see attached",
    "see above", "see below", "as above", "none", "nil", "unknown", "-", "--", "...", "xxx",
}
LOREM = re.compile(r"lorem\s+ipsum", re.IGNORECASE)
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Results:
    """Counts checks and collects readable failure messages."""

    def __init__(self) -> None:
        self.passed = 0
        self.failures: list[str] = []

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{what}: {detail}" if detail else what)
        return ok


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def load_json(path: Path):
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def resolve(root: dict, node: dict) -> dict:
    """Follows a local `$ref` (possibly several) to the schema it names."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"non-local $ref {ref}")
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


# ---------------------------------------------------------------- convention lint


def lint_schema(form_id: str, schema: dict, res: Results) -> set[str]:
    """Checks the conventions of the schema; returns the x-rule ids it defines."""
    where = f"{form_id}.schema.json"
    res.check(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema",
              where, "$schema must be the draft 2020-12 URI")
    res.check("$id" not in schema, where, "must not have $id")
    for key in ("title", "description", "x-source"):
        res.check(isinstance(schema.get(key), str) and schema.get(key), where, f"top-level {key} missing")
    res.check(schema.get("x-form-id") == form_id, where, "x-form-id must match the file name")
    res.check(schema.get("x-form-version") == "1.0", where, "x-form-version must be '1.0'")
    props = schema.get("properties", {})
    res.check(props.get("form", {}).get("const") == form_id, where, "property 'form' must be const form id")
    res.check(props.get("form_version", {}).get("const") == "1.0", where, "property 'form_version' must be const '1.0'")
    res.check({"form", "form_version"} <= set(schema.get("required", [])), where,
              "form and form_version must be required")

    problems: list[str] = []
    rule_ids: list[str] = []

    def walk_refs(node, path):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref is not None:
                if not ref.startswith("#/$defs/"):
                    problems.append(f"{path}: $ref {ref} is not local to $defs")
                else:
                    try:
                        resolve(schema, node)
                    except (KeyError, ValueError):
                        problems.append(f"{path}: $ref {ref} does not resolve")
            for k, v in node.items():
                walk_refs(v, f"{path}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk_refs(v, f"{path}/{i}")

    walk_refs(schema, "#")

    def check_enum(node, path):
        codes = node["enum"]
        titles = node.get("x-enum-titles")
        if not isinstance(titles, dict):
            problems.append(f"{path}: enum without x-enum-titles")
            return
        if set(titles) != set(codes):
            problems.append(f"{path}: x-enum-titles must cover exactly the enum codes")
        for code in codes:
            if not (isinstance(code, str) and KEBAB.match(code)):
                problems.append(f"{path}: enum code {code!r} is not kebab-case")

    def check_rule(block, owner, path):
        rid = block.get("x-rule")
        if not isinstance(rid, str) or not rid.startswith(f"{form_id}."):
            problems.append(f"{path}: x-rule {rid!r} must start with '{form_id}.'")
        rule_ids.append(rid)
        for key in ("x-source", "x-message", "if", "then"):
            if key not in block:
                problems.append(f"{path}: conditional {rid} lacks {key}")
        if "required" not in json.dumps(block.get("if", {})):
            problems.append(f"{path}: conditional {rid}: 'if' must use 'required'")
        declared = set(owner.get("properties", {}))

        def then_fields(then):
            names = set(then.get("required", []))
            if "not" in then:
                names |= set(then["not"].get("required", []))
            return names

        then = block.get("then", {})
        for name in then_fields(then):
            if name not in declared:
                problems.append(f"{path}: conditional {rid} requires undeclared property {name}")
        for name, sub in then.get("properties", {}).items():
            target = resolve(schema, owner.get("properties", {}).get(name, {}))
            for inner in then_fields(sub):
                if inner not in target.get("properties", {}):
                    problems.append(f"{path}: conditional {rid} requires undeclared {name}/{inner}")

    def visit(node, path, is_property):
        """Visits a schema reached through properties, items or $defs."""
        if not isinstance(node, dict):
            problems.append(f"{path}: schema must be an object")
            return
        if is_property:
            for key in ("title", "description"):
                if not (isinstance(node.get(key), str) and node[key].strip()):
                    problems.append(f"{path}: property lacks {key}")
        if "enum" in node:
            check_enum(node, path)
        if node.get("x-substantive") is True and node.get("type") != "string":
            problems.append(f"{path}: x-substantive on a non-string")
        if node.get("type") == "object":
            if node.get("additionalProperties") is not False:
                problems.append(f"{path}: object must have additionalProperties false")
            if "properties" not in node:
                problems.append(f"{path}: object must declare properties")
            for req in node.get("required", []):
                if req not in node.get("properties", {}):
                    problems.append(f"{path}: required {req} not declared")
            for name, sub in node.get("properties", {}).items():
                visit(sub, f"{path}/properties/{name}", True)
        for i, block in enumerate(node.get("allOf", [])):
            if "x-rule" in block:
                check_rule(block, node, f"{path}/allOf/{i}")
        if node.get("type") == "array" and "items" in node:
            visit(node["items"], f"{path}/items", False)

    visit(schema, "#", False)
    for name, sub in schema.get("$defs", {}).items():
        visit(sub, f"#/$defs/{name}", False)

    duplicates = {r for r in rule_ids if rule_ids.count(r) > 1}
    if duplicates:
        problems.append(f"duplicate x-rule ids {sorted(duplicates)}")
    res.check(not problems, f"{where} conventions", "\n    " + "\n    ".join(problems))
    return set(rule_ids)


# ---------------------------------------------------------------- sample checks


def error_rule(schema: dict, error) -> str:
    """Maps a Python validation error to the rule id the engine reports."""
    node = schema
    rule_id = None
    for key in error.schema_path:
        if key == "$ref":
            node = resolve(schema, node)
            continue
        if isinstance(node, dict) and key not in node and "$ref" in node:
            # Newer jsonschema releases leave "$ref" out of the path.
            node = resolve(schema, node)
        if key == "then" and isinstance(node, dict) and "x-rule" in node:
            rule_id = node["x-rule"]
        node = node[key]
    if rule_id:
        return rule_id
    keyword = error.validator
    return KEYWORD_RULES.get(keyword, f"schema.{kebab(keyword)}")


def is_substantive(text: str, min_words: int) -> bool:
    stripped = text.strip().lower().rstrip(".")
    if stripped in PLACEHOLDERS or LOREM.search(text):
        return False
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text)) >= max(3, min_words)


def nhs_number_ok(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{10}", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(value[9])


def content_findings(schema: dict, instance) -> list[tuple[str, str]]:
    """Substantive-text and NHS-number findings, as (rule id, JSON pointer)."""
    found: list[tuple[str, str]] = []

    def walk(node, value, pointer):
        node = resolve(schema, node)
        if not isinstance(node, dict):
            return
        if isinstance(value, str):
            if node.get("x-substantive") and not is_substantive(value, node.get("x-min-words", 3)):
                found.append(("text.substantive", pointer))
            if node.get("format") == "nhs-number" and not nhs_number_ok(value):
                found.append(("nhs-number.check-digit", pointer))
        elif isinstance(value, dict):
            for name, sub in value.items():
                if name in node.get("properties", {}):
                    walk(node["properties"][name], sub, f"{pointer}/{name}")
        elif isinstance(value, list) and "items" in node:
            for i, sub in enumerate(value):
                walk(node["items"], sub, f"{pointer}/{i}")

    walk(schema, instance, "")
    return found


def check_samples(form_id: str, schema: dict, rule_ids: set[str], res: Results) -> None:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    form_dir = SAMPLES / form_id
    valid = sorted((form_dir / "valid").glob("*.json"))
    invalid = sorted((form_dir / "invalid").glob("*.json"))
    res.check(len(valid) >= 2, f"{form_id}: samples", f"needs at least 2 valid samples, found {len(valid)}")
    res.check(len(invalid) >= 5, f"{form_id}: samples", f"needs at least 5 invalid samples, found {len(invalid)}")

    for path in valid:
        name = f"{form_id}/valid/{path.name}"
        doc = load_json(path)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        res.check(not errors, name, "; ".join(
            f"/{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]))
        res.check("_expect" not in doc, name, "a valid sample must not carry _expect")
        findings = content_findings(schema, doc)
        res.check(not findings, name, "; ".join(f"{r} at {p}" for r, p in findings))

    known = ENGINE_RULES | rule_ids
    for path in invalid:
        name = f"{form_id}/invalid/{path.name}"
        doc = load_json(path)
        expect = doc.pop("_expect", None)
        if not res.check(isinstance(expect, list) and expect and all(isinstance(e, str) for e in expect),
                         name, "needs a non-empty _expect list of rule ids"):
            continue
        unknown = [e for e in expect if not (e in known or e.startswith("schema."))]
        res.check(not unknown, name, f"unknown rule ids in _expect: {unknown}")
        expected_schema = {e for e in expect if e.startswith("schema.") or e in rule_ids}
        got = {error_rule(schema, e) for e in validator.iter_errors(doc)}
        if expected_schema:
            res.check(got == expected_schema, name,
                      f"Python reports {sorted(got) or 'no errors'}, _expect lists {sorted(expected_schema)}")
        else:
            res.check(not got, name, f"lists engine rules only, but the schema rejects it: {sorted(got)}")
        mirrored = {"text.substantive", "nhs-number.check-digit"}
        content = {r for r, _ in content_findings(schema, doc)}
        res.check(content == mirrored & set(expect), name,
                  f"content checks found {sorted(content) or 'nothing'}, _expect lists {sorted(mirrored & set(expect)) or 'neither'}")


def main() -> int:
    res = Results()
    meta = Draft202012Validator.META_SCHEMA
    for form_id in FORM_IDS:
        path = SCHEMAS / f"{form_id}.schema.json"
        if not res.check(path.is_file(), f"{form_id}", f"missing {path}"):
            continue
        schema = load_json(path)
        meta_errors = list(Draft202012Validator(meta).iter_errors(schema))
        if not res.check(not meta_errors, f"{form_id}.schema.json metaschema",
                         "; ".join(e.message for e in meta_errors[:5])):
            continue
        rule_ids = lint_schema(form_id, schema, res)
        check_samples(form_id, schema, rule_ids, res)

    extra = sorted(p.name for p in SCHEMAS.glob("*.schema.json") if p.name[: -len(".schema.json")] not in FORM_IDS)
    res.check(not extra, "schemas", f"unexpected schema files {extra}")

    for failure in res.failures:
        print(f"FAIL {failure}")
    print(f"{res.passed} passed, {len(res.failures)} failed")
    return 1 if res.failures else 0


if __name__ == "__main__":
    sys.exit(main())
