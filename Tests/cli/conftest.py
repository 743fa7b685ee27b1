"""The command-line tests' fixture: a fresh PostgreSQL database where the environment names a server (scripts/test
starts one)."""
import subprocess
import urllib.parse
import uuid

import pytest

from clihelpers import ADMIN_URL


@pytest.fixture()
def postgres_database():
    """The URL of a new, empty PostgreSQL database, dropped afterwards; the test is skipped without a server."""
    if not ADMIN_URL.startswith("postgres"):
        pytest.skip("XIEZUO_TEST_DATABASE names no PostgreSQL server (scripts/test starts one)")
    name = "xz_cli_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", ADMIN_URL, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    u = urllib.parse.urlsplit(ADMIN_URL)
    yield urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, ""))
    subprocess.run(["psql", ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)
