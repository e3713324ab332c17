#!/usr/bin/env python3
"""Differential test: the engine against Python `jsonschema` on mutated submissions.

A seeded mutator makes mutants of every valid sample in `samples/*/valid/` (keys deleted, types
changed, impossible and implausible dates, odd Unicode, huge and tiny numbers, deep nesting,
unknown fields, broken escapes). Each mutant is validated by the engine (the CLI, `validate
--json`, many files per run) and by Python `jsonschema` (draft 2020-12, format assertion on).

The run fails on:
  * a mutant Python finds invalid that the engine accepts;
  * a schema error the engine raises at a place where Python finds nothing, unless the
    difference is one of the EXPLAINED ones below;
  * an exit-2 outcome (the file is not read as a submission) for a JSON document naming a known
    form, unless EXPLAINED (nesting past the limit; text that is not Unicode; numbers beyond
    a double);
  * any message (finding or file problem) holding a control or invisible character, a number in
    a programmer's notation (`1e+19`, `5e-324`, `-0.0`), a raw list index used as a name, or the
    parser's own words.

Usage: differential.py --binary PATH [--seed N] [--per-sample N] [--keep DIR]
Prints one line per failure (at most 40) and ends with a summary line:
`differential: N mutants, M failures, ...`. Exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_schemas  # noqa: E402  (the same directory; shares the rule mapping)
from jsonschema import Draft202012Validator  # noqa: E402

ROOT = check_schemas.ROOT

# Rules the engine reports beyond the schema (Python cannot see them).
ENGINE_RULES = check_schemas.ENGINE_RULES | {"date.plausible", "calendar.cannot-count"}

# ------------------------------------------------------------------ explained differences

# Each explained difference: a name, why, and a test on (value at the pointer, engine rule).
TRAILING_NEWLINE = "ECMA-262 `$` (the engine) matches only at the end; Python's `$` also before a final newline"
EMAIL = "format email: Python's jsonschema accepts any text holding an @; the engine checks the address"
DIGITS = "`\\d` and `\\w`: Python's `re` matches any Unicode digit or letter; ECMA-262 only ASCII ones"
YEAR_ZERO = "year 0000: Python's datetime has no year 0, so its format check rejects it; the engine reports it as an implausible date (date.plausible)"
EXPLAINED_EXIT_2 = {
    "too-deep": "nesting past 127 levels is refused before validation, to bound the work any input causes",
    "surrogate": "a \\u escape of half a surrogate pair is not Unicode text (I-JSON, RFC 7493 2.1): the engine cannot hold it and says where it is",
    "out-of-range": "a number beyond the range of a double (I-JSON, RFC 7493 2.2): the engine says where it is",
}


def explain(value, rule: str) -> str | None:
    """Why the engine may rightly report `rule` at a value Python accepts, if it may."""
    if isinstance(value, str):
        if rule in ("schema.pattern", "schema.format") and value.endswith("\n"):
            return TRAILING_NEWLINE
        if rule == "schema.format" and "@" in value:
            return EMAIL
        if rule == "schema.pattern" and any(
            unicodedata.category(c) in ("Nd", "Lu", "Ll", "Lo") and not c.isascii() for c in value
        ):
            return DIGITS
    return None


# ------------------------------------------------------------------ the mutator

ODD_TEXT = [
    "1.0\u200b",                     # zero-width space
    "abc\u202edef",                   # right-to-left override
    "\ufeffname@kent.gov.uk",         # byte order mark
    "name@kent.gov.uk\u00a0",         # non-breaking space
    "line one\nline two\tend",        # raw line break and tab (escaped in JSON)
    "a\u0000b\u0007c\u001b[31m",       # control characters, an ANSI escape
    "\u2028\u2029",                   # line and paragraph separators
    "e\u0301\u0301\u0301",             # combining marks
    "👩‍👩‍👧 family",                  # emoji with zero-width joiners
    "اختبار",                          # Arabic
    "٠١٢٣٤٥٦٧٨٩",                      # Arabic-Indic digits
    "９４３４７６５９１９",            # full-width digits
    "9434765919\n",                   # trailing newline
    "  ",                              # spaces only
    "",                                # empty
    "x" * 10_000,                      # long
    "N/A",                             # placeholder
    "'; DROP TABLE cases; --",
    "<script>alert(1)</script>",
    "%s%n{0}{{x}}",
]
ODD_NUMBERS = [
    0, -0.0, 1, -1, 1.5, 0.1, 1e-7, 5e-324, 1.7976931348623157e308, 18446744073709551616,
    -9223372036854775809, 12345678901234567890123, 3.0, 1e21, 1e300, -1e300, 2**53 + 1,
]
ODD_DATES = [
    "0000-01-01", "9999-12-31", "2025-02-30", "2025-13-01", "2024-02-29", "2025-02-29",
    "1899-12-31", "1989-12-31", "2150-06-01", "2026-3-4", "14/03/2026", "2026-03-14T00:00:00Z",
    "２０２６-０３-１４", "2026-03-14\n",
]


def paths(doc, prefix=()):
    """Every (path, value) in a document, the root first."""
    yield prefix, doc
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from paths(value, prefix + (i,))


def get(doc, path):
    for step in path:
        doc = doc[step]
    return doc


def put(doc, path, value):
    if not path:
        return value
    get(doc, path[:-1])[path[-1]] = value
    return doc


def mutate(doc, rng: random.Random):
    """One mutation of a copy of `doc`; returns (document, raw text or None, what was done)."""
    doc = json.loads(json.dumps(doc))
    spots = [(p, v) for p, v in paths(doc) if p and p != ("form",)]
    path, value = rng.choice(spots)
    kind = rng.choice([
        "delete", "type", "type", "date", "text", "text", "number", "number", "enum", "extra",
        "nest", "list", "empty", "duplicate", "raw", "version",
    ])
    if kind == "delete":
        parent = get(doc, path[:-1])
        del parent[path[-1]]
    elif kind == "type":
        options = [None, True, False, 0, 3.5, "text", [], [value], {}, {"x": value}, "1"]
        doc = put(doc, path, rng.choice(options))
    elif kind == "date":
        dated = [p for p, v in spots if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)]
        path = rng.choice(dated) if dated else path
        doc = put(doc, path, rng.choice(ODD_DATES))
    elif kind == "text":
        strings = [p for p, v in spots if isinstance(v, str)] or [path]
        path = rng.choice(strings)
        odd = rng.choice(ODD_TEXT)
        old = get(doc, path)
        old = old if isinstance(old, str) else ""
        doc = put(doc, path, rng.choice([odd, old + odd, odd + old]))
    elif kind == "number":
        doc = put(doc, path, rng.choice(ODD_NUMBERS))
    elif kind == "enum":
        doc = put(doc, path, rng.choice(["drowned", "Yes", "YES", "other ", "unknown-code", "-"]))
    elif kind == "extra":
        target = rng.choice([p for p, v in paths(doc) if isinstance(v, dict)])
        get(doc, target)[rng.choice(["colour", "Form", "date_of_birth ", "x\u200b", "_expect"])] = "x"
    elif kind == "nest":
        depth = rng.choice([5, 60, 125, 126, 127, 128, 129, 200])
        nested = value
        for _ in range(depth):
            nested = [nested]
        doc = put(doc, path, nested)
    elif kind == "list":
        doc = put(doc, path, [value, value] if rng.random() < 0.5 else [value] * 40)
    elif kind == "empty":
        doc = put(doc, path, rng.choice(["", [], {}, None]))
    elif kind == "duplicate":
        lists = [p for p, v in spots if isinstance(v, list) and v]
        if lists:
            target = rng.choice(lists)
            items = get(doc, target)
            items.append(items[0])
    elif kind == "version":
        doc["form_version"] = rng.choice(["0.9", "1.0\u200b", "1.0 ", "2.0", 1.0, "1"])
    raw = None
    if kind == "raw":
        # Valid JSON grammar that no double or Unicode string can hold.
        marker = "__RAW__"
        doc = put(doc, path, marker)
        text = json.dumps(doc, ensure_ascii=False)
        replacement = rng.choice(['"\\udc00"', '"a\\ud800b"', "1e400", "-1e400", '"\\ud800\\u0041"'])
        raw = text.replace(json.dumps(marker), replacement, 1)
    return doc, raw, f"{kind} at /{'/'.join(map(str, path))}"


# ------------------------------------------------------------------ the comparison

def python_errors(validator, schema, doc):
    """Python's errors as (rule id, pointer): `required` and `additionalProperties` at the
    missing or unexpected field, as the engine reports them."""
    found = []
    for error in validator.iter_errors(doc):
        base = "".join(f"/{escape(str(s))}" for s in error.absolute_path)
        rule = check_schemas.error_rule(schema, error)
        if error.validator == "required":
            match = re.match(r"^'(.*)' is a required property$", error.message, re.S)
            found.append((rule, f"{base}/{escape(match.group(1))}" if match else base))
        elif error.validator == "additionalProperties":
            extra = set(error.instance) - set(error.schema.get("properties", {}))
            found.extend((rule, f"{base}/{escape(name)}") for name in extra)
        else:
            found.append((rule, base))
    return found


def escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def value_at(doc, pointer: str):
    node = doc
    for raw in pointer.split("/")[1:]:
        step = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node


def message_problems(text: str) -> list[str]:
    problems = []
    for c in text:
        if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or c in "\u00a0\u3164\ufffd":
            problems.append(f"holds character U+{ord(c):04X}")
            break
    if re.search(r"\d[eE][+-]?\d", text) or re.search(r"(?<![\w.])-0(\.0+)?(?!\.?\d)", text):
        problems.append("shows a number in programmer's notation")
    if re.fullmatch(r"\d+", text) or re.search(
        r"(^|[:;,] )\d+ (is|are|must|should|does|needs|can|lists|says|holds)\b", text
    ):
        problems.append("names a field by a raw index")
    for jargon in ("EOF", "hex escape", "surrogate", "out of range", "expected ident", "recursion"):
        if jargon in text:
            problems.append(f"uses the parser's words ({jargon})")
    return problems


def exit2_reason(problem: str) -> str | None:
    if "nests lists or groups too deeply" in problem:
        return "too-deep"
    if "half of a character pair" in problem:
        return "surrogate"
    if "too large to read" in problem:
        return "out-of-range"
    return None


def run_engine(binary: str, files: list[Path]) -> list[dict]:
    outcomes = []
    for start in range(0, len(files), 400):
        chunk = files[start:start + 400]
        result = subprocess.run(
            [binary, "validate", "--json", *map(str, chunk)],
            capture_output=True, timeout=300, check=False,
        )
        if result.returncode not in (0, 1, 2):
            raise SystemExit(f"engine exited {result.returncode}: {result.stderr.decode(errors='replace')[:500]}")
        outcomes.extend(json.loads(result.stdout))
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--per-sample", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="write the mutants here and keep them")
    args = parser.parse_args()

    started = time.monotonic()
    rng = random.Random(args.seed)
    schemas = {}
    validators = {}
    for form_id in check_schemas.FORM_IDS:
        schema = check_schemas.load_json(check_schemas.SCHEMAS / f"{form_id}.schema.json")
        schemas[form_id] = schema
        validators[form_id] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    samples = sorted(check_schemas.SAMPLES.glob("*/valid/*.json"))
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="differential-"))
    workdir.mkdir(parents=True, exist_ok=True)
    mutants = []  # (file, form id, document or None, what)
    for sample in samples:
        base = check_schemas.load_json(sample)
        form_id = base["form"]
        for n in range(args.per_sample):
            doc, raw, what = mutate(base, rng)
            path = workdir / f"{form_id}-{sample.stem}-{n}.json"
            path.write_text(raw if raw is not None else json.dumps(doc, ensure_ascii=rng.random() < 0.5),
                            encoding="utf-8", errors="surrogatepass")
            mutants.append((path, form_id, doc if raw is None else None, f"{sample.name}: {what}"))

    outcomes = run_engine(args.binary, [m[0] for m in mutants])
    engine_seconds = time.monotonic() - started

    failures: list[str] = []
    counts = {"python-invalid": 0, "engine-invalid": 0, "exit-2 explained": 0, "explained": {}}
    for (path, form_id, doc, what), outcome in zip(mutants, outcomes):
        where = f"{path.name} ({what})"
        problem = outcome.get("problem")
        report = outcome.get("report")
        if problem is not None:
            for issue in message_problems(problem):
                failures.append(f"{where}: file problem {issue}: {problem[:200]!r}")
            reason = exit2_reason(problem)
            if reason is None:
                failures.append(f"{where}: exit 2 for a JSON document naming {form_id}: {problem[:200]!r}")
            else:
                counts["exit-2 explained"] += 1
                key = f"exit 2: {EXPLAINED_EXIT_2[reason]}"
                counts["explained"][key] = counts["explained"].get(key, 0) + 1
            continue
        if doc is None:
            failures.append(f"{where}: a document with a broken escape or number was read as valid JSON")
            continue
        if isinstance(doc, dict) and doc.get("form") != form_id:
            continue
        for finding in report["findings"]:
            for text in (finding["message"], finding["field"]):
                for issue in message_problems(text):
                    failures.append(f"{where}: {finding['rule']} {issue}: {text[:200]!r}")
        py = python_errors(validators[form_id], schemas[form_id], doc)
        engine_schema = [
            (f["rule"], f["pointer"]) for f in report["findings"]
            if f["severity"] == "error" and f["rule"] not in ENGINE_RULES
        ]
        counts["python-invalid"] += bool(py)
        counts["engine-invalid"] += not report["valid"]
        if py and report["valid"]:
            failures.append(f"{where}: Python finds {sorted(set(py))[:4]}, the engine accepts it")
            continue
        if py and not engine_schema:
            # The engine rejects it by a rule of its own; say which, so the run shows it.
            rules = sorted({f["rule"] for f in report["findings"] if f["severity"] == "error"})
            key = f"Python's schema error is the engine's own rule {', '.join(rules)}"
            if rules == ["date.plausible"]:
                key = YEAR_ZERO
            counts["explained"][key] = counts["explained"].get(key, 0) + 1
        py_pointers = {p for _, p in py}
        for rule, pointer in engine_schema:
            if pointer in py_pointers:
                continue
            reason = explain(value_at(doc, pointer), rule)
            if reason:
                counts["explained"][reason] = counts["explained"].get(reason, 0) + 1
                continue
            failures.append(f"{where}: the engine reports {rule} at {pointer or '(form)'}; Python finds {sorted(py_pointers)[:4] or 'nothing'}")

    total = time.monotonic() - started
    for failure in failures[:40]:
        print(f"FAIL {failure}")
    for reason, n in sorted(counts["explained"].items()):
        print(f"explained ({n}): {reason}")
    print(
        f"differential: {len(mutants)} mutants from {len(samples)} samples (seed {args.seed}), "
        f"{len(failures)} failures; Python finds {counts['python-invalid']} invalid, the engine "
        f"{counts['engine-invalid']}; {counts['exit-2 explained']} explained exit 2; "
        f"engine {engine_seconds:.1f} s, total {total:.1f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
