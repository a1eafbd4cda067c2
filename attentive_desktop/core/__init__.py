"""Pure-Python rules: identifiers, attribute types, validation and the schema registry."""

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
    to_wire_properties,
    to_wire_value,
    validate_properties,
)

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
    "has_errors",
    "infer_type",
    "normalize_email",
    "normalize_phone",
    "to_wire_properties",
    "to_wire_value",
    "validate_properties",
]
