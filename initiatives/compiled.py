"""Queries compiled once per process: the rows of a read-only query whose SQL depends on its arguments only.

Django builds a query and compiles its SQL at every evaluation. For the grouped queries the pages aggregate with
(initiatives/aggregates.py) that costs more than the database takes to answer: the state engine's expressions
(initiatives/state.py) hold a dozen correlated subqueries, and building and compiling a count of the procedures
by Member State and state took 3 ms today and 6 ms on a past day at 50x the data, against 2-3 ms of SQL.

`rows(build, *arguments)` answers the rows of the values_list queryset that `build(*arguments)` returns, as
iterating it would (the columns converted by Django's converters), and keeps its SQL, parameters and
converters per builder, arguments and database, in a cache of the process (least recently used first out).

The rule for a builder: its SQL depends on its arguments and on the code, never on the data. It reads no row while
building (a primary key read from the database and put into the query would be kept with the SQL), and every
argument it depends on is one of `arguments` (hashable: days, models, flags). Dates and days come in as
arguments: nothing reads the clock. With `settings.COMPILED_SQL_CHECK` (on in the test suite), every call builds
and compiles the query afresh as well and raises `StaleQuery` when its SQL or parameters differ from those kept,
so a builder that breaks the rule fails the tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.expressions import ColPairs

KEPT = 512  # queries kept per process: a few builders, each per day shown (today, or a past day)


class StaleQuery(AssertionError):
    """A builder's SQL changed for the same arguments: it depends on something else (see the module's rule)."""


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the query can match no row (Django raised EmptyResultSet)
    params: tuple
    converters: tuple  # (position, (converter functions, expression)), as SQLCompiler.get_converters gives them
    width: int | None  # the columns a row answers, when the SQL selects more (for its ordering): the first ones


def _compile(queryset: QuerySet, alias: str) -> _Compiled:
    if queryset.db != alias:
        raise ValueError(f"compiled.rows reads the {alias!r} database, not {queryset.db!r}")
    compiler = queryset.query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Compiled(None, (), (), None)
    columns = [column[0] for column in compiler.select[:compiler.col_count]]
    if any(isinstance(column, ColPairs) for column in columns):
        raise ValueError("compiled.rows does not read composite fields")
    return _Compiled(sql, tuple(params), tuple(compiler.get_converters(columns).items()),
                     compiler.col_count if compiler.has_extra_select else None)


@functools.lru_cache(maxsize=KEPT)
def _kept(build: Callable[..., QuerySet], arguments: tuple, alias: str) -> _Compiled:
    return _compile(build(*arguments), alias)


def rows(build: Callable[..., QuerySet], *arguments: Hashable) -> list[tuple]:
    """The rows of `build(*arguments)` (a values_list queryset), its SQL compiled once per process, builder,
    arguments and database: the same rows, in the same order and types, as `list(build(*arguments))`."""
    alias = DEFAULT_DB_ALIAS
    compiled = _kept(build, arguments, alias)
    if getattr(settings, "COMPILED_SQL_CHECK", False):
        fresh = _compile(build(*arguments), alias)
        if (fresh.sql, fresh.params) != (compiled.sql, compiled.params):
            raise StaleQuery(f"{build.__qualname__}{arguments!r} compiled to other SQL than the SQL kept for them: "
                             "its query depends on more than its arguments")
    if compiled.sql is None:
        return []
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        found = cursor.fetchall()
    if compiled.width is not None:
        found = [row[:compiled.width] for row in found]
    if not compiled.converters:
        return [tuple(row) for row in found]
    converted = []
    for row in found:
        row = list(row)
        for position, (functions, expression) in compiled.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted


def forget() -> None:
    """Drop every kept query (tests that patch what a builder reads, such as a `published()`, call it)."""
    _kept.cache_clear()
