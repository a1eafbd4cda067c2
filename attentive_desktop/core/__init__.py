"""Pure-Python rules: identifiers, attribute types, validation and the schema registry.

Names are re-exported lazily (PEP 562) so that importing one submodule stays cheap at start-up:
`core.identifiers` (and through it `phonenumbers`) loads only when one of its names is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from attentive_desktop._lazy import lazy_exports

_EXPORTS = {
    "MAX_NAME_LENGTH": "attributes",
    "AttributeType": "attributes",
    "infer_type": "attributes",
    "CustomIdentifier": "identifiers",
    "InvalidIdentifier": "identifiers",
    "LookupQuery": "identifiers",
    "UserRef": "identifiers",
    "normalize_email": "identifiers",
    "normalize_phone": "identifiers",
    "MemorySchemaStorage": "schema",
    "SchemaRegistry": "schema",
    "SchemaStorage": "schema",
    "Finding": "validation",
    "SchemaView": "validation",
    "Severity": "validation",
    "has_errors": "validation",
    "attributes_body": "wire",
    "to_wire_properties": "wire",
    "to_wire_value": "wire",
    "validate_properties": "validation",
}

__all__ = [
    "MAX_NAME_LENGTH",
    "AttributeType",
    "CustomIdentifier",
    "Finding",
    "InvalidIdentifier",
    "LookupQuery",
    "MemorySchemaStorage",
    "SchemaRegistry",
    "SchemaStorage",
    "SchemaView",
    "Severity",
    "UserRef",
    "attributes_body",
    "has_errors",
    "infer_type",
    "normalize_email",
    "normalize_phone",
    "to_wire_properties",
    "to_wire_value",
    "validate_properties",
]

if TYPE_CHECKING:
    from attentive_desktop.core.attributes import MAX_NAME_LENGTH, AttributeType, infer_type
    from attentive_desktop.core.identifiers import (
        CustomIdentifier,
        InvalidIdentifier,
        LookupQuery,
        UserRef,
        normalize_email,
        normalize_phone,
    )
    from attentive_desktop.core.schema import MemorySchemaStorage, SchemaRegistry, SchemaStorage
    from attentive_desktop.core.validation import (
        Finding,
        SchemaView,
        Severity,
        has_errors,
        validate_properties,
    )
    from attentive_desktop.core.wire import attributes_body, to_wire_properties, to_wire_value


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
