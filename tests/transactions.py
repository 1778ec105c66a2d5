"""Data made once for a module (``module_db``) and its deferred constraint checks."""

from django.db import connection


def settle() -> None:
    """Check the deferred constraints of what a module's fixture has just written.

    PostgreSQL defers foreign-key checks to the end of the transaction, and Django's
    TestCase checks them at the end of every test, inside the test's savepoint: the
    checks of data made once for the module would run again after every test (0.2 s each
    for the bundled data) and be undone with the savepoint. Checked here once, at the
    module's level, they are done."""
    connection.check_constraints()
