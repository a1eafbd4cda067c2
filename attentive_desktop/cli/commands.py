"""``get`` and ``set``: one lookup or one update, recorded in the app's history."""

from __future__ import annotations

import argparse
import sys

from attentive_desktop.api.errors import ApiError, InvalidRequest, error_kind
from attentive_desktop.cli.context import CliContext, CliError, fail, print_json

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def run_get(args: argparse.Namespace) -> int:
    """``get --phone|--email``: print the user's custom attributes."""
    field = "phone" if args.phone is not None else "email"
    value = args.phone if args.phone is not None else args.email
    try:
        with CliContext(args) as ctx:
            if field == "phone":
                value = _normalised_phone(value, ctx.region)
            client = ctx.make_client(ctx.history_hook())
            with client:
                attributes = client.get_custom_attributes(**{field: value})
    except (CliError, ApiError) as exc:
        return _failed(args, exc)
    if args.json:
        print_json(
            {
                "ok": True,
                "user": {field: value},
                "attributes": {a.name: a.value for a in attributes},
            }
        )
        return EXIT_OK
    if not attributes:
        print(f"{value} has no custom attributes.")
        return EXIT_OK
    width = min(40, max(len(a.name) for a in attributes))
    print(f"{value}: {len(attributes)} custom attribute{'s' if len(attributes) != 1 else ''}")
    for attribute in attributes:
        print(f"  {attribute.name:<{width}}  {attribute.value}")
    return EXIT_OK


def _normalised_phone(text: str, region: str) -> str:
    from attentive_desktop.core.identifiers import InvalidIdentifier, normalize_phone

    try:
        return normalize_phone(text, region)
    except InvalidIdentifier as exc:
        raise CliError(exc.message) from None


def parse_assignments(items: list[str], what: str) -> list[tuple[str, str]]:
    """ "NAME=VALUE" words as (name, value) pairs (split at the first "="). CliError if not."""
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise CliError(
                f"'{item}' is not NAME=VALUE. Write each {what} as NAME=VALUE, quoting it when "
                'it has spaces: "Favorite color=blue".'
            )
        pairs.append((name, value))
    return pairs


def run_set(args: argparse.Namespace) -> int:
    """``set --phone|--email|--client-user-id … NAME=VALUE …``: upsert attributes."""
    from attentive_desktop.core.identifiers import InvalidIdentifier, UserRef
    from attentive_desktop.core.validation import Severity, validate_properties

    try:
        with CliContext(args) as ctx:
            properties = dict(parse_assignments(args.properties, "attribute"))
            if len(properties) != len(args.properties):
                raise CliError("The same attribute is given twice. Give each one once.")
            try:
                user = UserRef.parse(
                    phone=args.phone,
                    email=args.email,
                    client_user_id=args.client_user_id,
                    custom_identifiers=parse_assignments(args.custom, "custom identifier"),
                    region=ctx.region,
                )
            except InvalidIdentifier as exc:
                raise CliError(exc.message) from None
            registry = ctx.registry()
            findings = validate_properties(properties, registry)
            errors = [f for f in findings if f.severity is Severity.ERROR]
            if errors:
                return _invalid(args, errors)
            for warning in findings:
                print(f"warning: {warning.message}", file=sys.stderr)
            client = ctx.make_client(ctx.history_hook())
            with client:
                client.set_custom_attributes(user, properties, schema=registry)
            registry.learn_all(properties.items())
    except (CliError, ApiError) as exc:
        return _failed(args, exc)
    if args.json:
        print_json(
            {
                "ok": True,
                "user": user.to_user_json(),
                "properties": properties,
                "warnings": [w.message for w in findings],
            }
        )
    else:
        count = len(properties)
        print(f"Set {count} attribute{'s' if count != 1 else ''} on {user.describe()}.")
    return EXIT_OK


def _invalid(args: argparse.Namespace, errors: list) -> int:
    if args.json:
        print_json(
            {
                "ok": False,
                "error": {
                    "kind": "invalid",
                    "message": errors[0].message,
                    "findings": [
                        {"property": f.property, "code": f.code, "message": f.message}
                        for f in errors
                    ],
                },
            }
        )
    else:
        for finding in errors:
            print(f"error: {finding.message}", file=sys.stderr)
        print("Nothing was sent.", file=sys.stderr)
    return EXIT_USAGE


def _failed(args: argparse.Namespace, exc: CliError | ApiError) -> int:
    """Report why `get` or `set` failed, with its exit code: bad usage or input (a CliError's own
    code, or a request refused before sending) is 2, an API call that failed is 1."""
    if isinstance(exc, CliError):
        return fail(args, exc.message, exc.code)
    if isinstance(exc, InvalidRequest):
        return fail(args, str(exc), EXIT_USAGE, kind="invalid")
    return fail(args, str(exc), EXIT_FAILED, kind=error_kind(exc), status=exc.status)
