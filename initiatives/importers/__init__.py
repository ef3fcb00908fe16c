"""Pure import functions shared by the management commands and the upload pages.

Each importer takes rows (from `tabular.read_table`) and writes through the ORM; the caller owns the
transaction and rolls it back on a dry run or when any row was rejected (all or nothing).
"""
