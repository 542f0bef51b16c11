"""The dashboard extension reads the plugin's metadata keys from one generated file."""

import subprocess
import sys
from pathlib import Path

from saleor_cart_takeover import const

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "dashboard_extension" / "src" / "const.generated.ts"


def test_the_extensions_constants_are_generated_from_const_py():
    assert GENERATED.read_text() == const.typescript_module(), (
        "Run scripts/generate-const-ts and commit the result."
    )
    for name, value in const.EXTENSION_CONSTANTS.items():
        assert f'export const {name} = "{value}";' in GENERATED.read_text()


def test_the_generator_writes_the_same_file(tmp_path):
    before = GENERATED.read_text()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate-const-ts")], check=True
    )
    assert GENERATED.read_text() == before


def test_no_widget_types_a_metadata_key_again():
    sources = (ROOT / "dashboard_extension" / "src").rglob("*.ts*")
    for source in sources:
        if source == GENERATED:
            continue
        text = source.read_text()
        for key in (const.ORDER_PREPARED_BY_KEY, const.ORDER_DRAFT_KEY):
            assert f'"{key}"' not in text, f"{source} types {key} by hand"
