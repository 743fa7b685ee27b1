"""Shared by the command-line and browser tests: every temporary file they make goes into one directory of this run,
removed at its end, so nothing piles up in the machine's temporary folder from run to run."""
import shutil
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def _one_temporary_directory():
    base = tempfile.mkdtemp(prefix="xiezuo-tests-")
    before = tempfile.tempdir
    tempfile.tempdir = base
    yield
    tempfile.tempdir = before
    shutil.rmtree(base, ignore_errors=True)
