"""The demo's configured line options (issue 13), kept apart from the rest of
the sample data: the engravable product type declares what its lines carry."""

import json

from saleor.product.models import ProductType

from ..const import LINE_OPTIONS_KEY

ENGRAVABLE_OPTIONS = [
    {
        "key": "engraving",
        "label": "Engraving text",
        "type": "text",
        "required": True,
        "maxLength": 30,
    },
    {
        "key": "font",
        "label": "Font",
        "type": "choice",
        "required": False,
        "choices": ["Serif", "Script", "Block"],
    },
]


def declare_line_options(product_type: ProductType) -> None:
    """What a merchant does on the product type's metadata card; idempotent."""
    value = json.dumps(ENGRAVABLE_OPTIONS)
    if (product_type.metadata or {}).get(LINE_OPTIONS_KEY) != value:
        product_type.store_value_in_metadata({LINE_OPTIONS_KEY: value})
        product_type.save(update_fields=["metadata"])
