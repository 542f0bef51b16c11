"""The schema as its readers get it: SDL, and the Markdown API reference.

`scripts/dump-schemas` writes both (`schema.graphql` beside this module, a copy
for the extension's tests, and `docs/api.md`); tests fail when either is stale.
Everything comes from the schema itself: its descriptions are the reference.
"""

import re
from collections.abc import Iterator
from typing import Any

from .. import compat, const
from .schema import PUBLIC_MUTATIONS, schema

BUILTIN_SCALARS = frozenset({"String", "Boolean", "Int", "Float", "ID"})
ENDPOINT = f"{const.PLUGIN_URL_PATH}/graphql/"
REGENERATE = "scripts/dump-schemas"


def print_sdl() -> str:
    """The plugin's schema in SDL, descriptions included."""
    return compat.print_schema(schema) + "\n"


def introspection() -> dict[str, Any]:
    """The schema as graphql-core's introspection query answers it."""
    return schema.introspect()["__schema"]


def defined_types(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's own types: neither introspection types nor built-in scalars."""
    return [
        named
        for named in data["types"]
        if not named["name"].startswith("__") and named["name"] not in BUILTIN_SCALARS
    ]


def print_markdown() -> str:
    """docs/api.md: operations, types, inputs, enums and error codes."""
    data = introspection()
    types = {named["name"]: named for named in defined_types(data)}
    query = types.pop(data["queryType"]["name"])
    mutation = types.pop(data["mutationType"]["name"])
    errors = types.pop("TakeoverErrorCode")
    public = ", ".join(f"`{name}`" for name in sorted(PUBLIC_MUTATIONS))
    parts = [
        "# API reference",
        f"<!-- Generated from the schema's descriptions by {REGENERATE}; "
        "do not edit. -->",
        f"The plugin serves its GraphQL API at `POST {ENDPOINT}` on Saleor's "
        "host. Send a Saleor access token of a staff user, or the token the "
        "Dashboard hands the plugin's app, as `Authorization: Bearer <token>`; "
        f"{public} may also be called without one. The schema in SDL is "
        "[`saleor_cart_takeover/graphql/schema.graphql`]"
        "(../saleor_cart_takeover/graphql/schema.graphql).",
        "## Queries",
        *_operations(query),
        "## Mutations",
        "Each mutation answers with a payload whose `errors` list why the request "
        "was refused (`field`, `code`, `message`; see [Errors](#errors)); nothing "
        "was changed then. A missing permission or token is a GraphQL error "
        "instead, as in Saleor.",
        *_operations(mutation),
        "## Errors",
        f"The `code` of a {_type({'kind': 'OBJECT', 'name': 'TakeoverError'})} "
        f"(enum `{errors['name']}`).",
        *_enum(errors),
        "## Types",
        *_named(types, "OBJECT"),
        "## Inputs",
        *_named(types, "INPUT_OBJECT"),
        "## Enums",
        *_named(types, "ENUM"),
        "## Scalars",
        *_named(types, "SCALAR"),
    ]
    return _link_types("\n\n".join(parts) + "\n")


def _operations(root: dict[str, Any]) -> Iterator[str]:
    for field in root["fields"]:
        yield f"### {field['name']}"
        yield f"`{field['name']}`: {_type(field['type'])}"
        yield _text(field["description"])
        if field["args"]:
            yield _table(
                ("Argument", "Type", "Description"),
                [
                    (
                        f"`{arg['name']}`",
                        _type(arg["type"]) + _default(arg),
                        _text(arg["description"]),
                    )
                    for arg in field["args"]
                ],
            )


def _named(types: dict[str, Any], kind: str) -> Iterator[str]:
    for name in sorted(types):
        named = types[name]
        if named["kind"] != kind:
            continue
        yield f"### {name}"
        yield _text(named["description"])
        if kind == "OBJECT":
            yield _table(
                ("Field", "Type", "Description"),
                [
                    (
                        f"`{field['name']}`",
                        _type(field["type"]),
                        _text(field["description"]),
                    )
                    for field in named["fields"]
                ],
            )
        elif kind == "INPUT_OBJECT":
            yield _table(
                ("Field", "Type", "Description"),
                [
                    (
                        f"`{field['name']}`",
                        _type(field["type"]) + _default(field),
                        _text(field["description"]),
                    )
                    for field in named["inputFields"]
                ],
            )
        elif kind == "ENUM":
            yield from list(_enum(named))[1:]


def _enum(named: dict[str, Any]) -> Iterator[str]:
    yield _text(named["description"])
    yield _table(
        ("Value", "Description"),
        [
            (f"`{value['name']}`", _text(value["description"]))
            for value in named["enumValues"]
        ],
    )


def _type(ref: dict[str, Any]) -> str:
    """`[Cart!]!`, linking the named type to its section when it has one."""
    if ref["kind"] == "NON_NULL":
        return _type(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return "[" + _type(ref["ofType"]) + "]"
    name = ref["name"]
    if name in BUILTIN_SCALARS:
        return f"`{name}`"
    return f"[`{name}`]({_TYPE_LINK}{name})"


# Where a link to a type's section goes, once the sections' anchors are known.
_TYPE_LINK = "#type:"


def _link_types(text: str) -> str:
    """Point type links at their sections' anchors, numbered as GitHub numbers
    repeated ones: the type `Viewer` comes after the query `viewer`."""
    anchors: dict[str, str] = {"TakeoverErrorCode": "errors"}
    seen: dict[str, int] = {}
    section = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            continue
        level, _, title = line.partition(" ")
        slug = title.lower().replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if count:
            slug = f"{slug}-{count}"
        if level == "##":
            section = title
        elif level == "###" and section not in ("Queries", "Mutations"):
            anchors[title] = slug
    return re.sub(
        re.escape(f"]({_TYPE_LINK}") + r"(\w+)\)",
        lambda match: f"](#{anchors[match.group(1)]})",
        text,
    )


def _default(value: dict[str, Any]) -> str:
    default = value.get("defaultValue")
    return f" = `{default}`" if default is not None else ""


def _text(description: str | None) -> str:
    """One paragraph: docstrings wrap, table cells cannot."""
    return " ".join((description or "").split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
