"""The HTTP side of the GraphQL endpoint: limits, authentication, error shapes."""

import json
import logging
from typing import Any

from django.http import HttpRequest, JsonResponse
from graphql import GraphQLError, parse
from graphql.error import GraphQLSyntaxError, format_error
from graphql.language import ast

from .. import auth
from ..config import TakeoverSettings
from ..errors import PermissionDenied, TakeoverError, Unauthenticated
from .context import RequestContext
from .schema import PUBLIC_MUTATIONS, schema

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 100_000
MAX_DEPTH = 10
MAX_ROOT_FIELDS = 10


def graphql_view(request: HttpRequest, settings: TakeoverSettings) -> JsonResponse:
    if request.method != "POST":
        response = _error_response(
            "Send GraphQL requests as POST with a JSON body.", "MethodNotAllowed", 405
        )
        response["Allow"] = "POST, OPTIONS"
        return response
    if len(request.body) > MAX_BODY_BYTES:
        return _error_response(
            f"The request body is larger than {MAX_BODY_BYTES} bytes.",
            "RequestTooLarge",
            413,
        )
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error_response("The request body is not valid JSON.", "BadRequest", 400)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return _error_response(
            'Send a JSON object like {"query": "...", "variables": {...}}.',
            "BadRequest",
            400,
        )
    variables = body.get("variables") or {}
    operation_name = body.get("operationName")
    if not isinstance(variables, dict) or not isinstance(operation_name, str | None):
        return _error_response(
            "`variables` must be an object and `operationName` a string.",
            "BadRequest",
            400,
        )
    try:
        document = parse(body["query"])
    except GraphQLSyntaxError as error:
        return _error_response(str(error), "GraphQLParseError", 400)
    problem = _document_problem(document)
    if problem:
        return _error_response(problem, "QueryTooComplex", 400)

    caller = None
    if auth.has_credentials(request) or not _is_public(document, operation_name):
        try:
            caller = auth.authenticate(request)
        except Unauthenticated as error:
            return _error_response(str(error), "Unauthenticated", 401)
        except PermissionDenied as error:
            return _error_response(str(error), "PermissionDenied", 200)

    context = RequestContext(request=request, settings=settings, caller=caller)
    result = schema.execute(
        document,
        variable_values=variables,
        context_value=context,
        operation_name=operation_name,
    )
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [_format(error) for error in result.errors]
    return JsonResponse(payload, status=200)


def _format(error: Exception) -> dict[str, Any]:
    original = getattr(error, "original_error", None) or error
    extra: dict[str, Any]
    formatted = format_error(error) if isinstance(error, GraphQLError) else {}
    if isinstance(original, PermissionDenied):
        code, extra = "PermissionDenied", {}
    elif isinstance(original, Unauthenticated):
        code, extra = "Unauthenticated", {}
    elif isinstance(original, TakeoverError):
        detail = original.details[0]
        code, extra = detail.code.name, {"field": detail.field}
        formatted["message"] = detail.message
    elif isinstance(original, GraphQLError):
        code, extra = "GraphQLError", {}
    else:
        # Never leak internals; the traceback goes to the server log.
        logger.error("Cart takeover API error", exc_info=original)
        code, extra = "InternalServerError", {}
        formatted["message"] = "Internal server error."
    formatted["extensions"] = {"exception": {"code": code, **extra}}
    return formatted


def _error_response(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"exception": {"code": code}}}]},
        status=status,
    )


def _operations(document: ast.Document) -> list[ast.OperationDefinition]:
    return [d for d in document.definitions if isinstance(d, ast.OperationDefinition)]


def _is_public(document: ast.Document, operation_name: str | None) -> bool:
    """True when the operation only calls what needs no token."""
    operations = [
        op
        for op in _operations(document)
        if operation_name is None or (op.name and op.name.value == operation_name)
    ]
    if len(operations) != 1 or operations[0].operation != "mutation":
        return False
    fields = operations[0].selection_set.selections
    return all(
        isinstance(field, ast.Field)
        and (field.name.value in PUBLIC_MUTATIONS or field.name.value == "__typename")
        for field in fields
    )


def _document_problem(document: ast.Document) -> str | None:
    """Refuse documents that are deep or wide enough to exhaust the server."""
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, ast.FragmentDefinition)
    }
    for operation in _operations(document):
        if len(operation.selection_set.selections) > MAX_ROOT_FIELDS:
            return f"Ask for at most {MAX_ROOT_FIELDS} root fields per request."
        if _depth(operation.selection_set, fragments, set()) > MAX_DEPTH:
            return f"The query is nested deeper than {MAX_DEPTH} levels."
    return None


def _depth(
    selection_set: ast.SelectionSet | None,
    fragments: dict[str, ast.FragmentDefinition],
    visiting: set[str],
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, ast.FragmentSpread):
            name = selection.name.value
            if name in visiting or name not in fragments:
                continue
            depth = _depth(fragments[name].selection_set, fragments, visiting | {name})
        elif isinstance(selection, ast.InlineFragment):
            depth = _depth(selection.selection_set, fragments, visiting)
        else:
            depth = 1 + _depth(selection.selection_set, fragments, visiting)
        deepest = max(deepest, depth)
    return deepest
