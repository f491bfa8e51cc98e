"""REST API operations declared once: the Flask view, input validation, output serialisation and the OpenAPI 3.1
document are all generated from the same declaration, so the document cannot drift from the code.

Adding a resource (say, in a new module `web/api_trainings.py`):

    from pydantic import Field
    from sqlalchemy import select

    from bot.runtime import runtime
    from models.trainings import Training
    from web.openapi import ApiModel, ApiRouter, ListQuery, UtcDateTime, page_of, paginate

    router = ApiRouter("trainings", "การอบรมและผู้สมัคร")

    class TrainingOut(ApiModel):
        id: int
        title: str
        starts_at: UtcDateTime

    class TrainingQuery(ListQuery):
        district: str | None = Field(None, description="รหัสอำเภอ เช่น mueang")

    @router.route("/trainings", methods=["GET"], summary="List trainings", query=TrainingQuery,
                  response=page_of(TrainingOut))
    def list_trainings(query: TrainingQuery):
        \"\"\"Trainings in id order (keyset pagination).\"\"\"
        with runtime().db.transaction() as session:
            stmt = select(Training)
            if query.district:
                stmt = stmt.where(Training.district == query.district)
            return paginate(session, stmt, Training.id, query, TrainingOut)

and list the module in web.api_modules(): web/api.py serves every module-level ApiRouter of those modules. What the view gets and gives:
- path variables as keyword arguments (`<int:training_id>` -> `training_id: int`);
- `query=` an instance of the `query` model, validated from the query string (422 with field errors if bad);
- `body=` an instance of the `body` model, validated from a JSON body (400 if not JSON, 422 if invalid);
- it returns an instance of `response` (or anything `response.model_validate` accepts, e.g. an ORM row when the
  model is an `ApiModel`), optionally as `(value, status)`; raise `services.errors.DomainError` subclasses
  (NotFound, Conflict, ...) for 4xx answers: they become `{"error": {"code", "message"}}` JSON.
Every operation needs the bearer token unless declared `public=True`.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from flask import Blueprint, Response, jsonify, request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator
from pydantic.json_schema import models_json_schema
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session
from werkzeug.exceptions import HTTPException, NotFound

from bot.event_shape import nesting_exceeds
from services.errors import DomainError
from texts import console as console_texts
from web.pagination import decode_cursor, keyset_page

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
REF_TEMPLATE = "#/components/schemas/{model}"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

ERROR_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 410: "gone", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "validation_error", 429: "too_many_requests", 500: "internal_error", 503: "unavailable",
}
ERROR_DESCRIPTIONS = {
    400: "Bad request (e.g. the body is not JSON).",
    401: "Missing or wrong bearer token.",
    403: "Forbidden.",
    404: "Not found.",
    409: "Conflict with the resource's current state.",
    422: "Validation failed; `error.fields` lists each bad field.",
    503: "The API is disabled: API_TOKEN is not configured on the server.",
}


# ---- models every resource shares -------------------------------------------------------------------------------
def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]
"""A datetime serialised as ISO 8601 in UTC (`2026-11-23T03:00:00Z`); naive values are taken as UTC."""


class ApiModel(BaseModel):
    """Base for response models: can be built straight from ORM rows (`Model.model_validate(row)`)."""

    model_config = ConfigDict(from_attributes=True)


class FieldError(BaseModel):
    field: str = Field(description="Where the problem is, e.g. `limit` or `items.0.price`.")
    message: str
    type: str = Field(description="A stable machine-readable kind, e.g. `less_than_equal`.")


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. `unauthorized`, `not_found`.")
    message: str = Field(description="Thai, safe to show a person.")
    fields: list[FieldError] | None = None


class ErrorResponse(BaseModel):
    """Every error answer of the API has this shape."""

    error: ErrorDetail


class ListQuery(BaseModel):
    """Query parameters of every list endpoint: keyset pagination. Subclass it to add filters."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(50, ge=1, le=200, description="Page size, 1-200.")
    cursor: str | None = Field(None, description="Opaque; the `next_cursor` of the previous page.")

    @field_validator("cursor")
    @classmethod
    def _cursor_is_ours(cls, value: str | None) -> str | None:
        if value is not None and value != "":
            try:
                decode_cursor(value)
            except ValueError:
                raise ValueError(console_texts.API_BAD_CURSOR) from None
        return value or None


@functools.cache
def page_of(item: type[BaseModel]) -> type[BaseModel]:
    """The `{"data": [...], "next_cursor": ...}` model for a list of `item` (named `<Item>Page`)."""
    return create_model(
        f"{item.__name__}Page",
        __base__=ApiModel,
        __doc__=f"One page of {item.__name__}; pass `next_cursor` as `cursor` for the next page (null: last page).",
        data=(list[item], ...),
        next_cursor=(str | None, Field(None, description="Cursor of the next page, or null on the last page.")),
    )


def paginate(session: Session, stmt: Select, id_column: InstrumentedAttribute, query: ListQuery,
             item: type[BaseModel], convert: Callable[[Any], Any] | None = None) -> BaseModel:
    """Runs one keyset page of `stmt` and wraps it in `page_of(item)`; `convert` maps a row first if given."""
    rows, next_cursor = keyset_page(session, stmt, id_column, limit=query.limit, cursor=query.cursor)
    data = [item.model_validate(convert(row) if convert else row) for row in rows]
    return page_of(item)(data=data, next_cursor=next_cursor)


# ---- declaring operations ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Operation:
    """One method on one path, with everything needed to serve it and to document it."""

    rule: str  # Flask rule relative to the API prefix, e.g. "/citizens/<int:citizen_id>"
    method: str
    view: Callable[..., Any]
    operation_id: str
    summary: str
    description: str | None
    tags: tuple[str, ...]
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    public: bool
    content_type: str = "application/json"  # another type (e.g. application/pdf): the view returns a Response


class ApiRouter:
    """A feature's API operations. `web/api.py` joins every module-level router found in web/ into the /api/v1
    blueprint and its OpenAPI document."""

    def __init__(self, tag: str | None = None, description: str = "") -> None:
        self.tag = tag
        self.description = description
        self.operations: list[Operation] = []

    def route(self, rule: str, methods: Iterable[str] = ("GET",), *, summary: str, description: str | None = None,
              tags: Iterable[str] | None = None, query: type[BaseModel] | None = None,
              body: type[BaseModel] | None = None, response: type[BaseModel] | None = None, status: int = 200,
              errors: Iterable[int] = (), public: bool = False, operation_id: str | None = None,
              content_type: str = "application/json") -> Callable:
        """Declares `view` as the handler of `methods` on `rule` (see the module docstring for an example).

        `errors` lists extra statuses the operation documents (e.g. 409); 401/503 (unless public), 404 (with path
        variables), 400 (with a body) and 422 (with a query or body model) are documented automatically.
        `content_type` other than JSON (say `application/pdf`) documents a binary answer; the view returns a
        flask Response with that body.
        """
        methods = tuple(m.upper() for m in methods)
        for method in methods:
            if method not in HTTP_METHODS:
                raise ValueError(f"unsupported method {method}")
        tag_list = tuple(tags) if tags is not None else ((self.tag,) if self.tag else ())

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            for method in methods:
                op_id = operation_id or view.__name__
                if len(methods) > 1:
                    op_id = f"{op_id}_{method.lower()}"
                self.operations.append(Operation(
                    rule=rule, method=method, view=view, operation_id=op_id, summary=summary,
                    description=description or _docstring(view), tags=tag_list, query=query, body=body,
                    response=response, status=status, errors=tuple(errors), public=public,
                    content_type=content_type,
                ))
            return view

        return decorator

    def get(self, rule: str, **options: Any) -> Callable:
        return self.route(rule, ("GET",), **options)

    def post(self, rule: str, **options: Any) -> Callable:
        return self.route(rule, ("POST",), **options)


def _docstring(view: Callable[..., Any]) -> str | None:
    doc = (view.__doc__ or "").strip()
    return doc or None


# ---- serving ----------------------------------------------------------------------------------------------------
class RequestValidationError(Exception):
    """Query or body did not validate: answered 422 with one entry per bad field."""

    def __init__(self, fields: list[FieldError]) -> None:
        super().__init__("validation failed")
        self.fields = fields


def json_error(status: int, message: str, code: str | None = None, fields: list[FieldError] | None = None,
               headers: dict[str, str] | None = None) -> Response:
    """The API's error answer: `{"error": {"code": ..., "message": ..., "fields"?: [...]}}`."""
    detail = ErrorDetail(code=code or ERROR_CODES.get(status, "error"), message=message, fields=fields)
    response = jsonify(ErrorResponse(error=detail).model_dump(mode="json", exclude_none=True))
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def json_http_error(exc: HTTPException) -> Response:
    """An HTTPException (404, 405, 413, ...) as the API's JSON error."""
    status = exc.code or 500
    response = json_error(status, console_texts.API_ERROR_MESSAGES.get(status)
                          or console_texts.ERROR_TITLES.get(status, console_texts.ERROR_FALLBACK))
    allowed = getattr(exc, "valid_methods", None)
    if status == 405 and allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def is_api_request() -> bool:
    """True when the current request is under /api/v1 (its errors are JSON, never HTML pages)."""
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _pydantic_fields(exc: ValidationError) -> list[FieldError]:
    # `input` is left out on purpose: it can echo personal data back into logs and clients.
    return [FieldError(field=".".join(str(p) for p in err["loc"]) or "body", message=err["msg"], type=err["type"])
            for err in exc.errors(include_url=False)]


def _validate(model: type[BaseModel], data: Any) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(_pydantic_fields(exc)) from None


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) in (list, tuple, set, frozenset):
        return True
    return any(_is_list(arg) for arg in get_args(annotation) if arg is not type(None))


def _query_data(model: type[BaseModel]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in request.args:
            continue
        data[key] = request.args.getlist(key) if _is_list(info.annotation) else request.args.get(key)
    return data


class _BadJson(Exception):
    def __init__(self, message: str = console_texts.API_INVALID_JSON, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


# Bounds every API body meets before it is parsed: the largest real body (a training with ten speakers and every
# text at its limit) is under 100 KB and nests five deep.
MAX_BODY_BYTES = 512 * 1024
MAX_BODY_DEPTH = 32
MAX_ID = 2**31 - 1  # every id column is a 32-bit integer in both databases
# Control characters other than tab and line breaks: NUL is refused by PostgreSQL's text, the rest are never typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _json_body() -> Any:
    if not request.is_json:
        raise _BadJson()
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise _BadJson(console_texts.API_TOO_LARGE.format(limit=MAX_BODY_BYTES), 413)
    raw = request.stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise _BadJson(console_texts.API_TOO_LARGE.format(limit=MAX_BODY_BYTES), 413)
    if nesting_exceeds(raw, MAX_BODY_DEPTH):
        raise _BadJson(console_texts.API_TOO_DEEP.format(depth=MAX_BODY_DEPTH))
    try:
        return json.loads(raw.decode("utf-8") or "null", parse_constant=_not_a_number)
    except (ValueError, RecursionError):
        raise _BadJson() from None


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _unwrap(annotation: Any) -> list[Any]:
    """The plain types an annotation allows (Optional, unions, Annotated and Literal unwrapped)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return [t for arg in get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _is_number_type(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, int | float | Decimal) and not issubclass(kind, bool)


def _input_problems(model: type[BaseModel], data: Any, path: tuple[str, ...] = ()) -> list[FieldError]:
    """What pydantic would let through but the API refuses: unknown fields, true/false given for a number, and
    control characters (NUL above all) in text. Walks nested models and lists with each field's own type."""
    if not isinstance(data, dict):
        return []
    fields = {info.alias or name: info for name, info in model.model_fields.items()}
    problems: list[FieldError] = []
    for key, value in data.items():
        where = (*path, str(key))
        info = fields.get(key)
        if info is None:
            problems.append(FieldError(field=".".join(where), message=console_texts.API_UNKNOWN_FIELD,
                                       type="extra_forbidden"))
            continue
        problems.extend(_value_problems(_unwrap(info.annotation), value, where))
    return problems


def _value_problems(kinds: list[Any], value: Any, where: tuple[str, ...]) -> list[FieldError]:
    field = ".".join(where)
    if isinstance(value, bool):
        if any(_is_number_type(k) for k in kinds) and bool not in kinds:
            return [FieldError(field=field, message=console_texts.API_BOOL_NOT_NUMBER, type="bool_not_number")]
        return []
    if isinstance(value, str):
        if _CONTROL.search(value):
            return [FieldError(field=field, message=console_texts.API_CONTROL_CHARS, type="control_characters")]
        return []
    problems: list[FieldError] = []
    if isinstance(value, list):
        inner = [arg for k in kinds if get_origin(k) in (list, tuple, set, frozenset)
                 for arg in _unwrap(get_args(k)[0] if get_args(k) else Any)]
        for index, item in enumerate(value):
            problems.extend(_value_problems(inner, item, (*where, str(index))))
    elif isinstance(value, dict):
        for kind in kinds:
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                return _input_problems(kind, value, where)
            if get_origin(kind) is dict:
                for key, item in value.items():
                    problems.extend(_value_problems([Any], key, (*where, str(key))))
                    problems.extend(_value_problems([Any], item, (*where, str(key))))
    return problems


def _id_problems(instance: BaseModel, path: tuple[str, ...] = ()) -> list[FieldError]:
    """Ids (fields named `id` or `*_id`, or lists named `*_ids`) outside what the id columns hold: 422, not a
    database error."""
    problems: list[FieldError] = []
    for name in type(instance).model_fields:
        value = getattr(instance, name, None)
        where = (*path, name)
        if isinstance(value, BaseModel):
            problems.extend(_id_problems(value, where))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    problems.extend(_id_problems(item, (*where, str(index))))
                elif name.endswith("_ids") and isinstance(item, int) and not 0 < item <= MAX_ID:
                    problems.append(FieldError(field=".".join((*where, str(index))), message=console_texts.API_ID_RANGE,
                                               type="id_out_of_range"))
        elif (name == "id" or name.endswith("_id")) and isinstance(value, int) and not 0 < value <= MAX_ID:
            problems.append(FieldError(field=".".join(where), message=console_texts.API_ID_RANGE,
                                       type="id_out_of_range"))
    return problems


def _checked(model: type[BaseModel], data: Any) -> BaseModel:
    """Validates query or body data with pydantic and the API's own rules above; 422 with every bad field."""
    problems = _input_problems(model, data)
    if problems:
        raise RequestValidationError(problems)
    instance = _validate(model, data)
    problems = _id_problems(instance)
    if problems:
        raise RequestValidationError(problems)
    return instance


def _make_view(op: Operation) -> Callable[..., Response]:
    def view(**path_values: Any) -> Response:
        kwargs = dict(path_values)
        if any(isinstance(v, int) and not 0 <= v <= MAX_ID for v in path_values.values()):
            raise NotFound(console_texts.API_ERROR_MESSAGES.get(404)
                           or console_texts.ERROR_TITLES.get(404, console_texts.ERROR_FALLBACK))
        if op.query is not None:
            kwargs["query"] = _checked(op.query, _query_data(op.query))
        if op.body is not None:
            kwargs["body"] = _checked(op.body, _json_body())
        result = op.view(**kwargs)
        if isinstance(result, Response):
            return result
        status = op.status
        if isinstance(result, tuple):
            result, status = result
        if op.response is not None and not isinstance(result, op.response):
            result = op.response.model_validate(result)
        payload = result.model_dump(mode="json", by_alias=True) if isinstance(result, BaseModel) else result
        response = jsonify(payload)
        response.status_code = status
        return response

    view.__name__ = op.operation_id
    view.__doc__ = op.description
    return view


def build_blueprint(name: str, routers: Iterable[ApiRouter], *, url_prefix: str = API_PREFIX,
                    authorize: Callable[[], Response | None] | None = None) -> Blueprint:
    """A blueprint serving every operation; `authorize()` runs before non-public ones and may answer instead."""
    bp = Blueprint(name, __name__, url_prefix=url_prefix)
    public: set[str] = set()
    seen: set[str] = set()
    for router in routers:
        for op in router.operations:
            if op.operation_id in seen:
                raise ValueError(f"duplicate API operation id {op.operation_id}")
            seen.add(op.operation_id)
            bp.add_url_rule(op.rule, endpoint=op.operation_id, view_func=_make_view(op), methods=[op.method])
            if op.public:
                public.add(f"{name}.{op.operation_id}")

    @bp.before_request
    def _authorize() -> Response | None:
        if authorize is None or request.endpoint in public:
            return None
        return authorize()

    @bp.after_request
    def _no_store(response: Response) -> Response:
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @bp.errorhandler(RequestValidationError)
    def _invalid(exc: RequestValidationError) -> Response:
        return json_error(422, console_texts.API_VALIDATION, fields=exc.fields)

    @bp.errorhandler(_BadJson)
    def _bad_json(exc: _BadJson) -> Response:
        code = "payload_too_large" if exc.status == 413 else "invalid_json"
        return json_error(exc.status, exc.message, code=code)

    @bp.errorhandler(DomainError)
    def _domain(exc: DomainError) -> Response:
        return json_error(exc.http_status, exc.message, code=exc.code)

    @bp.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        return json_http_error(exc)

    @bp.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("API %s %s failed", request.method, request.path)
        return json_error(500, console_texts.ERROR_BODIES[500])

    return bp


# ---- the OpenAPI document ----------------------------------------------------------------------------------------
_RULE_VARIABLE = re.compile(r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>[^)]*)\))?:)?"
                            r"(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>")
_CONVERTER_SCHEMAS: dict[str | None, dict[str, Any]] = {
    None: {"type": "string"}, "string": {"type": "string"}, "path": {"type": "string"},
    "int": {"type": "integer", "minimum": 0}, "float": {"type": "number", "minimum": 0},
    "uuid": {"type": "string", "format": "uuid"},
}


def openapi_path(rule: str) -> str:
    """'/citizens/<int:citizen_id>' -> '/citizens/{citizen_id}'."""
    return _RULE_VARIABLE.sub(lambda m: "{" + m.group("name") + "}", rule)


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    return [{"name": m.group("name"), "in": "path", "required": True,
             "schema": dict(_CONVERTER_SCHEMAS.get(m.group("converter"), {"type": "string"}))}
            for m in _RULE_VARIABLE.finditer(rule)]


def _ref_name(ref: dict[str, Any]) -> str:
    return ref["$ref"].rsplit("/", 1)[-1]


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [X, {type: null}]` -> X, for optional query parameters (absent means null)."""
    options = schema.get("anyOf")
    if isinstance(options, list):
        rest = [s for s in options if s != {"type": "null"}]
        if len(rest) == 1 and len(rest) < len(options):
            merged = {k: v for k, v in schema.items() if k != "anyOf" and not (k == "default" and v is None)}
            merged.update(rest[0])
            return merged
    return schema


def _query_parameters(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    params = []
    for name, prop in (schema.get("properties") or {}).items():
        prop = {k: v for k, v in prop.items() if k != "title"}
        description = prop.pop("description", None)
        if name not in required:
            prop = _without_null(prop)
        param: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        if prop.get("type") == "array":
            param.update(style="form", explode=True)
        params.append(param)
    return params


def _error_response_component(status: int) -> dict[str, Any]:
    return {"description": ERROR_DESCRIPTIONS.get(status, console_texts.ERROR_TITLES.get(status, "Error")),
            "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorResponse")}}}}


def openapi_document(routers: Iterable[ApiRouter], *, title: str, version: str, description: str,
                     server_url: str = API_PREFIX) -> dict[str, Any]:
    """Builds the OpenAPI 3.1 document of every operation from its declaration and pydantic models."""
    routers = list(routers)
    operations = [op for router in routers for op in router.operations]
    inputs: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [(ErrorResponse, "serialization")]
    for op in operations:
        for model, mode in ((op.query, "validation"), (op.body, "validation"), (op.response, "serialization")):
            if model is not None and (model, mode) not in inputs:
                inputs.append((model, mode))  # type: ignore[arg-type]
    refs, defs = models_json_schema(inputs, ref_template=REF_TEMPLATE)
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))

    query_models = {op.query for op in operations if op.query is not None}
    for model in query_models:  # documented as parameters, not as a schema (unless something else uses it)
        name = _ref_name(refs[(model, "validation")])
        others = json.dumps({k: v for k, v in schemas.items() if k != name})
        body_or_response = any(model in (op.body, op.response) for op in operations)
        if f'"{REF_TEMPLATE.format(model=name)}"' not in others and not body_or_response:
            schemas[f"__query__{name}"] = schemas.pop(name)

    statuses_used: set[int] = set()
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        parameters = _path_parameters(op.rule)
        if op.query is not None:
            name = _ref_name(refs[(op.query, "validation")])
            parameters += _query_parameters(schemas.get(f"__query__{name}") or schemas[name])
        ok: dict[str, Any] = {"description": (op.response.__doc__ or "OK").strip().splitlines()[0]
                              if op.response is not None else "OK"}
        if op.content_type != "application/json":
            ok["content"] = {op.content_type: {"schema": {"type": "string", "contentMediaType": op.content_type}}}
        elif op.response is not None:
            ok["content"] = {"application/json": {"schema": refs[(op.response, "serialization")]}}
        else:
            ok["content"] = {"application/json": {"schema": {"type": "object"}}}
        responses: dict[str, Any] = {str(op.status): ok}
        errors = set(op.errors)
        if not op.public:
            errors |= {401, 503}
        if parameters and any(p["in"] == "path" for p in parameters):
            errors.add(404)
        if op.body is not None:
            errors |= {400, 422}
        if op.query is not None:
            errors.add(422)
        for status in sorted(errors):
            responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
            statuses_used.add(status)
        operation: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary, "responses": responses}
        if op.description:
            operation["description"] = op.description
        if op.tags:
            operation["tags"] = list(op.tags)
        if parameters:
            operation["parameters"] = parameters
        if op.body is not None:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": refs[(op.body, "validation")]}}}
        if op.public:
            operation["security"] = []
        paths.setdefault(openapi_path(op.rule), {})[op.method.lower()] = operation

    schemas = {k: v for k, v in schemas.items() if not k.startswith("__query__")}
    tags: dict[str, dict[str, str]] = {}
    for router in routers:
        if router.tag and router.tag not in tags:
            tags[router.tag] = {"name": router.tag, "description": router.description}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "servers": [{"url": server_url}],
        "tags": list(tags.values()),
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "responses": {f"E{status}": _error_response_component(status) for status in sorted(statuses_used)},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "The server's API_TOKEN."}},
        },
        "security": [{"bearerAuth": []}],
    }
