"""Document the error answers every operation can give, so clients (and schemathesis) know them: 400 for a
filter value (or an `as_of` day) that does not validate, 404 for an unknown record or page, 429 over the rate
limit."""

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FIELD_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "For each query parameter that does not validate, why."}


def _answer(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            queried = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
            if not path.endswith("}/") or queried:  # a list (filters and pages), or a record read as of a day
                responses.setdefault("400", _answer("A query parameter does not validate.", FIELD_ERRORS))
            responses.setdefault("404", _answer("No such record, or no such page.", DETAIL))
            responses.setdefault("429", _answer("Too many requests from this address; try again later.", DETAIL))
    return result
