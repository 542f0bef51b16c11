"""The plugin's schema documents itself, and its dumps are current.

Every type, field, argument, input field and enum value carries a description,
as Saleor's do: the Dashboard's Playground shows them, and `docs/api.md` is
rendered from them. The SDL (`saleor_cart_takeover/graphql/schema.graphql`, which
codegen and the extension's and the storefront kit's Vitest read too) and the API
reference are written by `scripts/dump-schemas`; these tests fail while either
is stale.
"""

from pathlib import Path
from typing import Any

import graphene

from saleor_cart_takeover.graphql import schema_printer
from saleor_cart_takeover.graphql.schema import schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_SDL = ROOT / "saleor_cart_takeover" / "graphql" / "schema.graphql"
API_REFERENCE = ROOT / "docs" / "api.md"
STALE = "Run scripts/dump-schemas and commit the result."


def undocumented(introspected: dict[str, Any]) -> list[str]:
    """Every type, field, argument, input field and enum value without a description."""
    missing = []
    for named in schema_printer.defined_types(introspected):
        name = named["name"]
        if not named.get("description"):
            missing.append(name)
        for field in named.get("fields") or []:
            if not field.get("description"):
                missing.append(f"{name}.{field['name']}")
            missing += [
                f"{name}.{field['name']}({arg['name']})"
                for arg in field["args"]
                if not arg.get("description")
            ]
        for members in ("inputFields", "enumValues"):
            missing += [
                f"{name}.{member['name']}"
                for member in named.get(members) or []
                if not member.get("description")
            ]
    return missing


def test_every_element_of_the_schema_has_a_description():
    missing = undocumented(schema.introspect()["__schema"])
    assert not missing, "Describe these in saleor_cart_takeover/graphql/: " + ", ".join(
        missing
    )


def test_an_undocumented_element_is_named():
    class Shade(graphene.Enum):
        """A colour's shade."""

        DARK = "dark"

    class Paint(graphene.ObjectType):
        colour = graphene.String(
            description="Its colour.", shade=Shade(), strength=graphene.Int()
        )

    class Query(graphene.ObjectType):
        """Reads."""

        paint = graphene.Field(Paint, description="A paint.")

    missing = undocumented(graphene.Schema(query=Query).introspect()["__schema"])

    assert missing == [
        "Paint",
        "Paint.colour(shade)",
        "Paint.colour(strength)",
        "Shade.DARK",
    ]


def test_the_committed_schema_is_current():
    assert SCHEMA_SDL.read_text() == schema_printer.print_sdl(), STALE


def test_the_committed_schema_carries_the_descriptions():
    # For the Playground-less readers: codegen's comments, the Vitest suites.
    # graphql-core 2 cannot parse SDL descriptions; graphql-js reads the file
    # in the extension's `schema.test.ts`.
    text = SCHEMA_SDL.read_text()
    mutation = schema.get_type("Mutation")

    start = mutation.fields["takeoverStart"]
    assert f'  {start.description}\n  """\n  takeoverStart(' in text
    assert f'    {start.args["cartCode"].description}\n    """\n    cartCode:' in text


def test_the_api_reference_is_current():
    assert API_REFERENCE.read_text() == schema_printer.print_markdown(), STALE


def test_the_api_reference_shows_every_operation_and_error_code():
    text = API_REFERENCE.read_text()
    introspected = schema.introspect()["__schema"]
    operations = [
        field["name"]
        for root in ("queryType", "mutationType")
        for named in introspected["types"]
        if named["name"] == introspected[root]["name"]
        for field in named["fields"]
    ]
    codes = [
        value["name"]
        for named in introspected["types"]
        if named["name"] == "TakeoverErrorCode"
        for value in named["enumValues"]
    ]

    for operation in operations:
        assert f"\n### {operation}\n" in text
    for code in codes:
        assert f"| `{code}` |" in text
    assert "[`Viewer`](#viewer-1)" in text  # the type, not the `viewer` query
