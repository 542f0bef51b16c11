"""The dashboard extension and the storefront kit read the plugin's metadata keys
from generated files, which must match const.py."""

import subprocess
import sys
from pathlib import Path

import pytest

from saleor_cart_takeover import const

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "dashboard_extension" / "src" / "const.generated.ts"
KIT_GENERATED = ROOT / "storefront_kit" / "src" / "keys.generated.ts"
# graphql-codegen's output (scripts/codegen): the operations' text, keys included,
# comes from saleor_cart_takeover/graphql/operations/, checked below.
CODEGEN_DIRS = (
    ROOT / "dashboard_extension" / "src" / "generated",
    ROOT / "storefront_kit" / "src" / "generated",
)
OPERATIONS = ROOT / "saleor_cart_takeover" / "graphql" / "operations"


def written_by_hand(source: Path) -> bool:
    return source not in (GENERATED, KIT_GENERATED) and not any(
        source.is_relative_to(folder) for folder in CODEGEN_DIRS
    )


@pytest.mark.parametrize(
    ("path", "constants"),
    [
        (GENERATED, const.EXTENSION_CONSTANTS),
        (KIT_GENERATED, const.STOREFRONT_CONSTANTS),
    ],
    ids=["dashboard_extension", "storefront_kit"],
)
def test_the_typescript_constants_are_generated_from_const_py(path, constants):
    assert path.read_text() == const.typescript_module(constants), (
        "Run scripts/generate-const-ts and commit the result."
    )
    for name, value in constants.items():
        literal = f'"{value}"' if isinstance(value, str) else str(value)
        assert f"export const {name} = {literal};" in path.read_text()


def test_the_generator_writes_the_same_files(tmp_path):
    before = {path: path.read_text() for path in (GENERATED, KIT_GENERATED)}
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate-const-ts")], check=True
    )
    assert {path: path.read_text() for path in before} == before


def test_the_kit_exports_what_storefronts_read():
    names = set(const.STOREFRONT_CONSTANTS)
    assert {
        "CHECKOUT_TAKEN_OVER_KEY",
        "CONSENT_REQUESTED_KEY",
        "PICKUP_CONTACTS_KEY",
        "LINE_OPTIONS_KEY",
        "LINE_SOURCE_KEY",
        "LINE_SOURCE_CUSTOMER_SERVICE",
    } <= names
    # The storefront answers consent with takeoverConsentAnswer, not metadata.
    assert "CONSENT_KEY" not in names


def test_no_widget_types_a_metadata_key_again():
    sources = (ROOT / "dashboard_extension" / "src").rglob("*.ts*")
    for source in sources:
        if not written_by_hand(source):
            continue
        text = source.read_text()
        for key in (const.ORDER_PREPARED_BY_KEY, const.ORDER_DRAFT_KEY):
            assert f'"{key}"' not in text, f"{source} types {key} by hand"


def test_the_kit_types_no_metadata_key_by_hand():
    for source in (ROOT / "storefront_kit" / "src").rglob("*.ts*"):
        if not written_by_hand(source):
            continue
        text = source.read_text()
        for name, key in const.STOREFRONT_CONSTANTS.items():
            if name.endswith("_KEY"):
                assert f'"{key}"' not in text, f"{source} types {key} by hand"


def test_the_operations_name_only_keys_const_py_knows():
    # A GraphQL document cannot import a constant: the keys the operations
    # spell (e.g. `metafield(key: "cart_takeover.line_options")`) must be
    # const.py's, so renaming a key there fails here, not in a storefront.
    import re

    known = {
        value
        for name, value in vars(const).items()
        if name.endswith("_KEY") and isinstance(value, str)
    }
    spelled = {
        (path.relative_to(OPERATIONS).as_posix(), key)
        for path in OPERATIONS.rglob("*.graphql")
        for key in re.findall(r'"(cart_takeover\.[\w.]+)"', path.read_text())
    }
    assert spelled, "the operations read no metadata key: update this test"
    unknown = sorted(item for item in spelled if item[1] not in known)
    assert not unknown, f"keys not in const.py: {unknown}"
