import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages must not cross tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def call(capsys):
    """Run a management command; return (exit status, stdout, stderr)."""
    from django.core.management import call_command

    def run(*args):
        status = 0
        try:
            call_command(*args)
        except SystemExit as exit_:
            status = exit_.code
        out, err = capsys.readouterr()
        return status, out, err

    return run
