"""The HTTP side of the GraphQL endpoint: limits, authentication, error shapes."""

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from graphql import GraphQLError, parse
from graphql.error import GraphQLSyntaxError, format_error
from graphql.language import ast

from ..access import auth
from ..checkout import metadata as checkout_metadata
from ..config import TakeoverSettings
from ..const import MAX_BODY_BYTES, MAX_QUERY_DEPTH, MAX_QUERY_FIELDS, MAX_ROOT_FIELDS
from ..errors import PermissionDenied, TakeoverError, Unauthenticated
from .context import RequestContext
from .schema import PUBLIC_MUTATIONS, schema

logger = logging.getLogger(__name__)


def graphql_view(request: HttpRequest, settings: TakeoverSettings) -> JsonResponse:
    if request.method != "POST":
        response = _error_response(
            "Send GraphQL requests as POST with a JSON body.", "MethodNotAllowed", 405
        )
        response["Allow"] = "POST, OPTIONS"
        return response
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    try:
        # Checked before reading: past Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
        # reading the body raises and Django answers with an HTML page.
        too_large = declared > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES
    except RequestDataTooBig:
        too_large = True
    if too_large:
        return _error_response(
            f"The request body is larger than {MAX_BODY_BYTES} bytes.",
            "RequestTooLarge",
            413,
        )
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
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
    except RecursionError:  # graphql-core's parser recurses once per level
        return _error_response(
            f"The query is nested deeper than {MAX_QUERY_DEPTH} levels.",
            "QueryTooComplex",
            400,
        )
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
    # Listeners hear of each checkout whose metadata the request changed once,
    # through the manager the request's own events loaded.
    with checkout_metadata.one_event_per_checkout(lambda: context.manager):
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
    elif type(original) is Exception and "cannot represent" in str(original):
        # graphql-core 2's Int/Float raise a bare Exception for a variable they
        # cannot represent (beyond 32 bits): the caller's mistake, not ours.
        code, extra = "GraphQLError", {}
        formatted["message"] = str(original)
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
    """Refuse documents that are deep or wide enough to exhaust the server.

    Each fragment is measured once, so the check itself stays linear however
    often fragments spread each other.
    """
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, ast.FragmentDefinition)
    }
    measured: dict[str, tuple[int, int]] = {}
    for operation in _operations(document):
        try:
            roots = _root_fields(operation.selection_set, fragments, {}, ())
        except _FragmentCycle as cycle:
            return f"Fragment {cycle} spreads itself."
        if roots > MAX_ROOT_FIELDS:
            return f"Ask for at most {MAX_ROOT_FIELDS} root fields per request."
        try:
            depth, fields = _measure(operation.selection_set, fragments, measured, ())
        except _FragmentCycle as cycle:
            return f"Fragment {cycle} spreads itself."
        if depth > MAX_QUERY_DEPTH:
            return f"The query is nested deeper than {MAX_QUERY_DEPTH} levels."
        if fields > MAX_QUERY_FIELDS:
            return f"Ask for at most {MAX_QUERY_FIELDS} fields per request."
    return None


class _FragmentCycle(Exception):
    pass


def _root_fields(
    selection_set: ast.SelectionSet,
    fragments: dict[str, ast.FragmentDefinition],
    counted: dict[str, int],
    visiting: tuple[str, ...],
) -> int:
    """Root fields with fragment spreads and inline fragments expanded: each
    root field is a resolver call (a code lookup, a mutation), however the
    document spells it. Each fragment is counted once."""
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, ast.FragmentSpread):
            name = selection.name.value
            if name in visiting:
                raise _FragmentCycle(name)
            if name not in fragments:
                continue
            if name not in counted:
                counted[name] = _root_fields(
                    fragments[name].selection_set,
                    fragments,
                    counted,
                    (*visiting, name),
                )
            total += counted[name]
        elif isinstance(selection, ast.InlineFragment):
            total += _root_fields(selection.selection_set, fragments, counted, visiting)
        else:
            total += 1
    return total


def _measure(
    selection_set: ast.SelectionSet | None,
    fragments: dict[str, ast.FragmentDefinition],
    measured: dict[str, tuple[int, int]],
    visiting: tuple[str, ...],
) -> tuple[int, int]:
    """Depth and number of fields of a selection, fragments expanded."""
    if selection_set is None:
        return 0, 0
    deepest = total = 0
    for selection in selection_set.selections:
        if isinstance(selection, ast.FragmentSpread):
            name = selection.name.value
            if name in visiting:
                raise _FragmentCycle(name)
            if name not in fragments:
                continue  # GraphQL's validation reports the unknown fragment
            if name not in measured:
                measured[name] = _measure(
                    fragments[name].selection_set,
                    fragments,
                    measured,
                    (*visiting, name),
                )
            depth, fields = measured[name]
        elif isinstance(selection, ast.InlineFragment):
            depth, fields = _measure(
                selection.selection_set, fragments, measured, visiting
            )
        else:
            depth, fields = _measure(
                selection.selection_set, fragments, measured, visiting
            )
            depth, fields = depth + 1, fields + 1
        deepest = max(deepest, depth)
        total += fields
    return deepest, total
