"""Google's own `classroom.v1` discovery document, as shipped inside google-api-python-client.

The Classroom fixture server routes requests by the document's method paths and checks their
parameters, and every response it sends is validated against the document's schemas
(converted to JSON Schema, strict: a field Google does not define is an error), so the fixture
cannot drift from what Google serves.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import jsonschema
from googleapiclient.discovery_cache import get_static_doc

INT64 = r"^-?[0-9]+$"
# RFC 3339 as Google writes it: Z or an offset, optional fractions
DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
DURATION = r"^-?[0-9]+(\.[0-9]{1,9})?s$"
INT32 = (-(2**31), 2**31 - 1)

CANONICAL_CODES = (
    "INVALID_ARGUMENT FAILED_PRECONDITION OUT_OF_RANGE UNAUTHENTICATED PERMISSION_DENIED NOT_FOUND ABORTED "
    "ALREADY_EXISTS RESOURCE_EXHAUSTED CANCELLED DATA_LOSS UNKNOWN INTERNAL NOT_IMPLEMENTED UNAVAILABLE "
    "DEADLINE_EXCEEDED"
).split()
# Google's error body (https://cloud.google.com/apis/design/errors): not in the discovery document.
GOOGLE_ERROR = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "status"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "status": {"enum": CANONICAL_CODES},
                "details": {"type": "array"},
                "errors": {"type": "array"},
            },
        }
    },
}


@functools.cache
def document() -> dict[str, Any]:
    text = get_static_doc("classroom", "v1")
    assert text, "google-api-python-client ships no classroom.v1 discovery document"
    return dict(json.loads(text))


def to_json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """One discovery schema (`$ref`, `type`, `properties`, `items`, `enum`, `format`, ...) as JSON Schema."""
    if "$ref" in schema:
        return {"$ref": f"#/definitions/{schema['$ref']}"}
    kind = schema.get("type")
    out: dict[str, Any] = {}
    if "enum" in schema:
        out["enum"] = list(schema["enum"])
    fmt = schema.get("format")
    if kind == "object":
        out["type"] = "object"
        out["properties"] = {k: to_json_schema(v) for k, v in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties")
        out["additionalProperties"] = to_json_schema(extra) if isinstance(extra, dict) else False
    elif kind == "array":
        out["type"] = "array"
        out["items"] = to_json_schema(schema.get("items", {"type": "any"}))
    elif kind == "string":
        out["type"] = "string"
        if fmt in ("int64", "uint64"):
            out["pattern"] = INT64
        elif fmt == "google-datetime":
            out["pattern"] = DATETIME
        elif fmt == "google-duration":
            out["pattern"] = DURATION
        elif fmt == "byte":
            out["pattern"] = r"^[A-Za-z0-9+/_-]*={0,2}$"
    elif kind == "integer":
        out["type"] = "integer"
        if fmt == "int32":
            out["minimum"], out["maximum"] = INT32
        elif fmt == "uint32":
            out["minimum"], out["maximum"] = 0, 2**32 - 1
    elif kind == "number":
        out["type"] = "number"
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind in (None, "any"):
        pass
    else:  # pragma: no cover - a discovery type this converter does not know
        raise AssertionError(f"unknown discovery type {kind!r}")
    return out


@functools.cache
def definitions() -> dict[str, Any]:
    return {name: to_json_schema(s) for name, s in document()["schemas"].items()}


def _methods(resources: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for res in resources.values():
        out.extend(res.get("methods", {}).values())
        out.extend(_methods(res.get("resources", {})))
    return out


@functools.cache
def routes() -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    """(path regex, HTTP method, discovery method) for every method of the API."""
    out = []
    for m in _methods(document()["resources"]):
        pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(m["flatPath"]))
        out.append((re.compile(f"^/{pattern}$"), m["httpMethod"], m))
    # literal paths before templated ones ('courseWork/-' is a value, not a different method)
    out.sort(key=lambda r: r[0].pattern.count("([^/]+)"))
    return out


def method_for(http_method: str, path: str) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The discovery method a request is for, and its path parameters."""
    for rx, verb, m in routes():
        hit = rx.match(path)
        if hit and verb == http_method:
            names = re.findall(r"\{([^}]+)\}", m["flatPath"])
            return m, dict(zip(names, hit.groups(), strict=True))
    return None


def check_query(method: dict[str, Any], query: dict[str, list[str]]) -> list[str]:
    """Problems with a request's query: unknown parameters, repeated ones that may not be, bad enums."""
    problems = []
    params = method.get("parameters", {})
    common = document().get("parameters", {})
    for name, values in query.items():
        spec = params.get(name) or common.get(name)
        if spec is None or spec.get("location") == "path":
            problems.append(f"{method['id']}: unknown query parameter {name}")
            continue
        if len(values) > 1 and not spec.get("repeated"):
            problems.append(f"{method['id']}: {name} given {len(values)} times")
        for v in values:
            if "enum" in spec and v not in spec["enum"]:
                problems.append(f"{method['id']}: {name}={v} is not one of {spec['enum']}")
            if spec.get("type") == "integer" and not re.fullmatch(r"-?[0-9]+", v):
                problems.append(f"{method['id']}: {name}={v} is not an integer")
    for name, spec in params.items():
        if spec.get("required") and spec.get("location") == "query" and name not in query:
            problems.append(f"{method['id']}: required {name} missing")
    return problems


def response_schema(method: dict[str, Any]) -> dict[str, Any]:
    ref = method["response"]["$ref"]
    return {"$ref": f"#/definitions/{ref}", "definitions": definitions()}


@functools.cache
def _validator(method_id: str) -> jsonschema.protocols.Validator:
    method = next(m for m in _methods(document()["resources"]) if m["id"] == method_id)
    schema = response_schema(method)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)  # once per method: the converted document is itself valid JSON Schema
    return cls(schema)


def validate_response(method_id: str | None, status: int, payload: Any) -> None:
    """Raise `jsonschema.ValidationError` unless `payload` is what Google sends for that method."""
    if status >= 400:
        jsonschema.validate(payload, GOOGLE_ERROR)
        assert payload["error"]["code"] == status
        return
    assert method_id is not None, "a 2xx answer outside the discovery document"
    error = jsonschema.exceptions.best_match(_validator(method_id).iter_errors(payload))
    if error is not None:
        raise error
