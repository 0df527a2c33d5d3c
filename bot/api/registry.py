"""Declaring API operations once: the same declaration routes requests and writes OpenAPI.

A handler gets the request plus, when declared, ``path=``, ``query=`` and ``body=``
already validated by pydantic; a validation error becomes a 400 with the details. The
document lists every status an operation can answer, errors with the shared ``Error``
schema: 400 when it takes input, 401 unless public, 404 when it names a resource in its
path, 503 when a dependency (Redis) is down, and what the declaration adds (``errors=``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from aiohttp import web
from pydantic import BaseModel, TypeAdapter, ValidationError

from bot.httpjson import json_dumps

Handler = Callable[..., Awaitable[Any]]
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "details": {"description": "what was wrong, e.g. pydantic's errors per field"},
    },
}
UNAVAILABLE = "a dependency (Redis) is unavailable; try again shortly"


class ApiError(Exception):
    def __init__(self, status: int, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


@dataclass
class Operation:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    public: bool = False
    path_params: type[BaseModel] | None = None
    errors: dict[int, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # media types the success may also be (a file download)

    def error_statuses(self) -> dict[int, str]:
        found: dict[int, str] = {}
        if self.path_params or self.query or self.body:
            found[400] = "invalid input, with details"
        if not self.public:
            found[401] = "missing or wrong bearer token"
        if self.path_params:
            found[404] = "no such resource"
        found[503] = UNAVAILABLE
        return dict(sorted((found | self.errors).items()))


@dataclass
class Api:
    title: str = "招聘助手 API"
    version: str = "1"
    operations: list[Operation] = field(default_factory=list)

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        tag: str,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        public: bool = False,
        path_params: type[BaseModel] | None = None,
        errors: dict[int, str] | None = None,
        files: tuple[str, ...] = (),
    ) -> Callable[[Handler], Handler]:
        names = _path_params(path)
        declared = list(path_params.model_fields) if path_params else []
        if sorted(names) != sorted(declared):
            raise ValueError(f"{method} {path}: path parameters {names} declared as {declared}")

        def register(handler: Handler) -> Handler:
            self.operations.append(
                Operation(
                    method,
                    path,
                    handler,
                    summary,
                    tag,
                    body,
                    query,
                    response,
                    status,
                    public,
                    path_params,
                    dict(errors or {}),
                    files,
                )
            )
            return handler

        return register

    def install(self, app: web.Application) -> None:
        for op in self.operations:
            app.router.add_route(op.method, op.path, _wrap(op), name=op.handler.__name__)

    def document(self) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        schemas: dict[str, Any] = {}
        for op in self.operations:
            entry: dict[str, Any] = {
                "summary": op.summary,
                "tags": [op.tag],
                "operationId": op.handler.__name__,
                "responses": {str(op.status): {"description": "OK"}},
            }
            if not op.public:
                entry["security"] = [{"bearer": []}]
            error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            for status, description in op.error_statuses().items():
                entry["responses"][str(status)] = {"description": description, "content": error}
            params = [
                *_parameters(op.path_params, "path", schemas),
                *_parameters(op.query, "query", schemas),
            ]
            if params:
                entry["parameters"] = params
            if op.body is not None:
                schemas[op.body.__name__] = op.body.model_json_schema(
                    ref_template="#/components/schemas/{model}"
                )
                schemas.update(schemas[op.body.__name__].pop("$defs", {}))
                ref = {"$ref": f"#/components/schemas/{op.body.__name__}"}
                entry["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": ref}},
                }
            if op.response is not None:
                schema = TypeAdapter(op.response).json_schema(
                    ref_template="#/components/schemas/{model}"
                )
                schemas.update(schema.pop("$defs", {}))
                entry["responses"][str(op.status)]["content"] = {
                    "application/json": {"schema": schema}
                } | {media: {"schema": {"type": "string"}} for media in op.files}
            paths.setdefault(_openapi_path(op.path), {})[op.method.lower()] = entry
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version},
            "paths": paths,
            "components": {
                "schemas": schemas | {"Error": ERROR_SCHEMA},
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        }


def _path_params(path: str) -> list[str]:
    return [part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{")]


def _openapi_path(path: str) -> str:
    """``/x/{id:[0-9]+}`` (aiohttp's route with a pattern) as OpenAPI writes it: ``/x/{id}``."""
    return "/".join(
        "{" + part[1:-1].split(":")[0] + "}" if part.startswith("{") else part
        for part in path.split("/")
    )


def _parameters(
    model: type[BaseModel] | None, where: str, schemas: dict[str, Any]
) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    required = schema.get("required", [])
    return [
        {
            "name": name,
            "in": where,
            "required": where == "path" or name in required,
            "schema": prop,
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _wrap(op: Operation) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        kwargs: dict[str, Any] = {}
        try:
            if op.path_params is not None:
                kwargs["path"] = op.path_params.model_validate(dict(request.match_info))
            if op.query is not None:
                kwargs["query"] = op.query.model_validate(_query_dict(request, op.query))
            if op.body is not None:
                try:
                    raw = await request.json()
                except (json.JSONDecodeError, UnicodeDecodeError):
                    raise ApiError(400, "request body is not valid JSON") from None
                kwargs["body"] = op.body.model_validate(raw)
        except ValidationError as exc:
            raise ApiError(400, "invalid input", _details(exc)) from None
        result = await op.handler(request, **kwargs)
        if isinstance(result, web.StreamResponse):
            return result
        payload = TypeAdapter(Any).dump_python(result, mode="json")
        return web.json_response(payload, status=op.status, dumps=json_dumps)

    return handle


def _query_dict(request: web.Request, model: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        name = info.alias or field_name  # e.g. ``from``, a keyword in Python
        values = request.query.getall(name, [])
        if not values:
            continue
        if _is_list(info.annotation):
            out[name] = [v for raw in values for v in raw.split(",") if v]
        else:
            out[name] = values[-1]
    return out


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in get_args(annotation))


def _details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": list(err["loc"]), "msg": err["msg"], "type": err["type"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]
