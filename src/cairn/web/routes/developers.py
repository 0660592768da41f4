"""The API reference: an accessible page rendered from the app's own OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cairn.accounts import errors as accounts_errors
from cairn.auth.dependencies import OptionalWebActor
from cairn.kit.actor import Scope
from cairn.kit.errors import PROBLEM_TYPES
from cairn.web.templating import render

router = APIRouter()
METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema: dict[str, Any] | None) -> str:
    """A readable name for a request or response schema: its $ref, or its shape."""
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(
                _schema_name(item) or str(item.get("type", "")) for item in schema[key]
            )
    if schema.get("type") == "array":
        return f"list[{_schema_name(schema.get('items'))}]"
    return str(schema.get("type", ""))


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per path and method, with what a caller needs to call it."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            responses = {
                code: _schema_name(
                    response.get("content", {}).get("application/json", {}).get("schema")
                )
                for code, response in operation.get("responses", {}).items()
            }
            found.append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "tag": (operation.get("tags") or ["other"])[0],
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "required": parameter.get("required", False),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _schema_name(body.get("schema")),
                    "responses": responses,
                }
            )
    return found


def schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each named schema with its fields (name, type, required) or its allowed values."""
    found = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        fields = [
            {
                "name": field_name,
                "type": _schema_name(field),
                "values": ", ".join(str(value) for value in field.get("enum", [])),
                "required": field_name in required,
            }
            for field_name, field in schema.get("properties", {}).items()
        ]
        found.append(
            {
                "name": name,
                "fields": fields,
                "values": ", ".join(str(v) for v in schema.get("enum", [])),
            }
        )
    return found


@router.get("/api/v1/docs")
def api_reference(request: Request, actor: OptionalWebActor) -> Response:
    """Public, like the OpenAPI document; a signed-in reader keeps the site's navigation."""
    spec = request.app.openapi()
    return render(
        request,
        "developers/api.html",
        {
            "spec": spec,
            "operations": operations(spec),
            "schemas": schemas(spec),
            "scopes": list(Scope),
            "problems": (*PROBLEM_TYPES, *accounts_errors.problem_types()),
        },
        actor=actor,
    )
