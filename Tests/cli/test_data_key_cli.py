"""The personal-data key travels with its database: found beside a SQLite file from any folder, written beside a
backup, handed on by restore and `migrate --to`, and an old working-folder key is taken over."""
import os
import shutil
import subprocess
import tempfile

from clihelpers import BIN

ROW = "姓名,身份证号码,联系电话,户籍县,是否脱贫人口,就业单位,就业城市,就业时间,就业月数,月工资（元）\n"
ID = "520525199001010022"


def env_without_key():
    return {k: v for k, v in os.environ.items() if k not in ("XIEZUO_DATA_KEY", "XIEZUO_DATA_KEY_FILE")}


def xiezuo(*args, cwd, env=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env or env_without_key())


def database_with_a_worker(folder):
    """A SQLite database holding one labour row with an ID number (encrypted at rest)."""
    path = os.path.join(folder, "data", "x.sqlite")
    os.makedirs(os.path.dirname(path))
    sheet = os.path.join(folder, "w.csv")
    with open(sheet, "w", encoding="utf-8") as f:
        f.write(ROW + f"张晓梅,{ID},13800000001,520525,是,佛山美的工厂,佛山市,2024-03-01,9,4500\n")
    r = xiezuo("import", "labour", sheet, "--database", "sqlite://" + path, cwd=folder)
    assert r.returncode == 0, r.stderr
    return path


def exported(db, cwd, env=None):
    r = xiezuo("export", "labour", "--format", "csv", "--database", db, cwd=cwd, env=env)
    return r


def test_every_command_finds_the_key_beside_the_database_from_any_folder():
    home, elsewhere = tempfile.mkdtemp(), tempfile.mkdtemp()
    path = database_with_a_worker(home)
    assert os.path.exists(path + ".key") and not os.path.exists(os.path.join(home, "xiezuo.key"))
    r = exported("sqlite://" + path, elsewhere)
    assert r.returncode == 0 and ID in r.stdout, r.stderr
    assert os.listdir(elsewhere) == []  # no stray key made where the command ran


def test_a_backup_carries_its_key_and_restore_hands_it_on():
    tmp = tempfile.mkdtemp()
    path = database_with_a_worker(tmp)
    backup = os.path.join(tmp, "all.backup")
    r = xiezuo("backup", backup, "--database", "sqlite://" + path, cwd=tmp)
    assert r.returncode == 0 and "all.backup.key" in r.stdout, r.stderr
    assert open(backup + ".key").read() == open(path + ".key").read()
    # Restored somewhere else, the copy opens with the backup's key, which now sits beside it.
    other = os.path.join(tempfile.mkdtemp(), "restored.sqlite")
    r = xiezuo("restore", backup, "--database", "sqlite://" + other, cwd=tmp)
    assert r.returncode == 0, r.stderr
    assert open(other + ".key").read() == open(path + ".key").read()
    assert ID in exported("sqlite://" + other, tmp).stdout
    # Without its key the backup is refused before anything is written, with what to do.
    moved = os.path.join(tmp, "moved.key")
    shutil.move(backup + ".key", moved)
    third = os.path.join(tempfile.mkdtemp(), "third.sqlite")
    r = xiezuo("restore", backup, "--database", "sqlite://" + third, cwd=tmp)
    assert r.returncode != 0 and "--key" in r.stderr and "Usage" not in r.stderr, r.stderr
    assert not os.path.exists(third)
    # A key that is not the backup's is refused too; the right one given with --key works.
    wrong = os.path.join(tmp, "wrong.key")
    with open(wrong, "w") as f:
        f.write("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
    r = xiezuo("restore", backup, "--key", wrong, "--database", "sqlite://" + third, cwd=tmp)
    assert r.returncode != 0 and "not the key" in r.stderr, r.stderr
    r = xiezuo("restore", backup, "--key", moved, "--database", "sqlite://" + third, cwd=tmp)
    assert r.returncode == 0, r.stderr
    assert ID in exported("sqlite://" + third, tmp).stdout


def test_migrate_into_another_sqlite_file_takes_the_key_along():
    tmp = tempfile.mkdtemp()
    path = database_with_a_worker(tmp)
    target = os.path.join(tempfile.mkdtemp(), "copy.sqlite")
    r = xiezuo("migrate", "--database", "sqlite://" + path, "--to", "sqlite://" + target, cwd=tmp)
    assert r.returncode == 0 and "verified" in r.stdout, r.stderr
    assert ID in exported("sqlite://" + target, tempfile.mkdtemp()).stdout


def test_migrate_to_postgresql_says_which_key_to_use(postgres_database):
    tmp = tempfile.mkdtemp()
    path = database_with_a_worker(tmp)
    r = xiezuo("migrate", "--database", "sqlite://" + path, "--to", postgres_database, cwd=tmp)
    assert r.returncode != 0 and f"XIEZUO_DATA_KEY_FILE={path}.key" in r.stderr and "Usage" not in r.stderr, r.stderr
    env = env_without_key() | {"XIEZUO_DATA_KEY_FILE": path + ".key"}
    r = xiezuo("migrate", "--database", "sqlite://" + path, "--to", postgres_database, cwd=tmp, env=env)
    assert r.returncode == 0 and "verified" in r.stdout, r.stderr
    assert ID in exported(postgres_database, tempfile.mkdtemp(), env=env).stdout


def test_a_key_left_in_the_working_folder_by_an_older_version_is_taken_over():
    tmp = tempfile.mkdtemp()
    path = database_with_a_worker(tmp)
    # As an older version left it: the key in the folder serve ran in, none beside the database.
    shutil.move(path + ".key", os.path.join(tmp, "xiezuo.key"))
    r = exported("sqlite://" + path, tmp)
    assert r.returncode == 0 and ID in r.stdout, r.stderr
    assert open(path + ".key").read() == open(os.path.join(tmp, "xiezuo.key")).read()
    assert ID in exported("sqlite://" + path, tempfile.mkdtemp()).stdout
