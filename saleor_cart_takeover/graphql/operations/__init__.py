"""The GraphQL operations the Dashboard extension and the storefront kit send.

One operation or fragment per `.graphql` file, by the API it is sent to:

- `plugin/`: the plugin's endpoint, from the extension and the kit;
- `saleor/`: Saleor's API, from the extension;
- `storefront/`: the fragments (and the query) a storefront built with the kit
  reads its checkout with, from Saleor's API.

scripts/codegen turns them into the extension's and the kit's TypeScript
(documents and result types, `src/generated/`); the tests, the benchmarks and
the demo send the same operations with `operation()`, so the contract is
written once. Python reads them here rather than from the generated
TypeScript because the demo runs without npm.
"""

from functools import cache
from pathlib import Path

from graphql.language import ast
from graphql.language.parser import parse
from graphql.language.printer import print_ast

HERE = Path(__file__).resolve().parent


def _spreads(
    node: ast.OperationDefinition, fragments: dict[str, ast.FragmentDefinition]
) -> list[str]:
    """The fragments `node` spreads, transitively, in first-use order."""
    found: list[str] = []

    def walk(selection_set: ast.SelectionSet | None) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, ast.FragmentSpread):
                name = selection.name.value
                if name not in found:
                    found.append(name)
                    walk(fragments[name].selection_set)
            else:
                walk(selection.selection_set)

    walk(node.selection_set)
    return found


@cache
def _operations(folder: str) -> dict[str, str]:
    sources = sorted((HERE / folder).glob("*.graphql"))
    document = parse("\n".join(source.read_text() for source in sources))
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, ast.FragmentDefinition)
    }
    # Each operation with exactly the fragments it spreads, as codegen sends it.
    return {
        d.name.value: "\n\n".join(
            print_ast(part)
            for part in [d, *(fragments[name] for name in _spreads(d, fragments))]
        )
        for d in document.definitions
        if isinstance(d, ast.OperationDefinition) and d.name
    }


def operation(name: str) -> str:
    """The document of `name` ("plugin/Copy", "saleor/Order"), fragments included."""
    folder, _, operation_name = name.partition("/")
    try:
        return _operations(folder)[operation_name]
    except KeyError:
        raise LookupError(f"no GraphQL operation {name!r} in {HERE}") from None
