"""Document the error answers every operation can give, so clients (and schemathesis) know them: 400 for a
filter value (or an `as_of` day) that does not validate, 404 for an unknown record or page, 429 over the rate
limit. A query parameter given empty is a 400 too (initiatives/api/views.py, ReadOnly.initial): string
parameters say so with minLength 1. Each query parameter's bounds are stated as the API checks them
(`_describe_bounds`), so that schemathesis with every check on finds the two agreeing."""

from initiatives.text import CONTROL_CHARACTERS

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "For each query parameter that does not validate, why."}


def _answer(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# Text without control characters (initiatives/text.py): the API refuses them in a query parameter.
PLAIN_TEXT = "^[^" + CONTROL_CHARACTERS.pattern[1:-1] + "]+$"


def _filters_by_operation(generator) -> dict:
    """(path, method) -> the filters of the endpoint's FilterSet, by query parameter name."""
    found = {}
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        filterset = getattr(getattr(callback, "cls", None), "filterset_class", None)
        if filterset is not None:
            found[(path, method.lower())] = filterset.base_filters
    return found


def _describe_bounds(schema: dict, filter_) -> None:
    """What a query parameter accepts, as the API checks it: a number within the filter's bounds, text that
    is not empty and holds no control character."""
    if filter_ is not None and schema.get("type") == "integer":
        for bound, key in (("min_value", "minimum"), ("max_value", "maximum")):
            if filter_.extra.get(bound) is not None:
                schema[key] = filter_.extra[bound]
    if schema.get("type") == "string" and "enum" not in schema:
        schema.setdefault("minLength", 1)  # an empty value is a 400 (ReadOnly.initial): leave it out instead
        if "format" not in schema and "pattern" not in schema:
            schema["pattern"] = PLAIN_TEXT


def add_error_responses(result, generator, request, public):
    filters = _filters_by_operation(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            by_name = filters.get((path, method), {})
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    _describe_bounds(parameter.setdefault("schema", {}), by_name.get(parameter["name"]))
            responses = operation.setdefault("responses", {})
            queried = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
            if not path.endswith("}/") or queried:  # a list (filters and pages), or a record read as of a day
                responses.setdefault("400", _answer("A query parameter does not validate.", FIELD_ERRORS))
            responses.setdefault("404", _answer("No such record, or no such page.", DETAIL))
            responses.setdefault("429", _answer("Too many requests from this address; try again later.", DETAIL))
    return result
