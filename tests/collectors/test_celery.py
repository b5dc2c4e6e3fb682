"""Distributed polling with real parts: Redis (db 7 on 127.0.0.1:6379, flushed before and after), real
`celery -A yunwang worker -Q poll.<group>` subprocesses, the real Kaifu lab, and a database both processes open.

The workers are other processes, so they cannot see the test database's uncommitted rows, and on SQLite not even
the database (it is in this process's memory). So this module works on its own committed copy of the test
database, swapped in as `default` for the module: a file copy on SQLite, a `CREATE DATABASE ... TEMPLATE` copy on
PostgreSQL. The workers open the same copy through DATABASE_URL; nothing leaks into other modules' database.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from collectors.distributed import TASK_NAME, chunks_by_group, queue_for
from inventory.models import Device, DeviceStatus, PollCycle
from lab.inventory import load_topology
from tests.lab_fixture import RunningLab, kaifu_lab  # noqa: F401  (the session fixture)

# The worker tests commit (transaction=True): the workers must see the rows. The flush after each test empties
# only this module's copy of the database.
WITH_WORKERS = pytest.mark.django_db(transaction=True)

BROKER = "redis://127.0.0.1:6379/7"  # a db of its own: flushing it touches nothing else on this Redis
GROUPS = {  # poller group -> devices (small ones: quick to discover on a busy machine); the last has no worker
    "430105-a": ("KF-GAP-01", "KF-LB-01"),
    "430105-b": ("KF-VPN-01", "KF-IPS-01"),
    "430105-z": ("KF-FW-02",),
}
WORKERS = ("430105-a", "430105-b")
GROUP_TIMEOUT = "15"  # what the missing group costs; the others answer in a few seconds
WORKER_READY_SECONDS = 40.0


@pytest.fixture(scope="module")
def broker() -> Iterator[redis.Redis]:
    """The real Redis; unreachable is a failure (no skip)."""
    client = redis.Redis.from_url(BROKER, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis must be running on 127.0.0.1:6379 for the distributed polling tests: {exc}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def _pg_url(params: dict[str, Any], name: str) -> str:
    auth = quote(str(params["USER"] or ""), safe="") + (
        ":" + quote(str(params["PASSWORD"]), safe="") if params["PASSWORD"] else ""
    )
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"


def _pg_admin(params: dict[str, Any]) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=int(params["PORT"] or 5432),
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _pg_copy(params: dict[str, Any], name: str) -> None:
    with _pg_admin(params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        for attempt in range(10):  # a session closed just now can linger for a moment
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{params["NAME"]}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 9:
                    raise
                time.sleep(0.5)


@pytest.fixture(scope="module")
def shared_db(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A committed copy of the test database, `default` for this module; yields the URL the workers open."""
    with django_db_blocker.unblock():
        original = connections["default"]
        params = dict(original.settings_dict)
        in_memory = original.vendor == "sqlite" and "mode=memory" in str(params["NAME"])
        assert in_memory or str(params["NAME"]).startswith("test_"), f"not a test database: {params['NAME']}"
        if original.vendor == "postgresql":
            name = f"{params['NAME']}_celery"
            original.close()  # TEMPLATE copies need the source database to have no other sessions
            _pg_copy(params, name)
            url = _pg_url(params, name)
        else:
            path = tmp_path_factory.mktemp("celery-db") / "yunwang.sqlite3"
            original.ensure_connection()
            with sqlite3.connect(path) as target:
                original.connection.backup(target)  # the migrated in-memory test database, as a file
            target.close()
            # Three processes write this file: wait for the lock, and take it at BEGIN (no upgrade deadlocks).
            name, url = str(path), f"sqlite:///{path}?timeout=30&transaction_mode=IMMEDIATE"
            params["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
        copy = original.__class__({**params, "NAME": name}, alias="default")
        connections["default"] = copy
        try:
            yield url
        finally:
            copy.close()
            connections["default"] = original
            if original.vendor == "postgresql":
                with _pg_admin(params) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def celery_app(broker: redis.Redis) -> Iterator[Any]:
    """The project's Celery app, pointed at the test broker (settings have no broker in tests: eager mode)."""
    from yunwang.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    _drop_connections(app)
    yield app
    app.conf.update(saved)
    _drop_connections(app)


def _drop_connections(app: Any) -> None:
    """Forget pools and backend made under the previous settings (an eager task earlier in the session makes a
    producer pool for the default amqp://localhost); the same reset Celery does after a fork."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def inventory(shared_db: str, kaifu_lab: RunningLab) -> dict[str, list[int]]:  # noqa: F811
    """The Kaifu inventory, committed; the devices of GROUPS in their groups, every other device planned."""
    kaifu_lab.heal()
    load_topology(kaifu_lab.topology)
    chosen = {name: group for group, names in GROUPS.items() for name in names}
    Device.objects.exclude(name__in=chosen).update(status=DeviceStatus.PLANNED)
    for name, group in chosen.items():
        Device.objects.filter(name=name).update(poller_group=group)
    return {g: list(Device.objects.filter(name__in=n).values_list("pk", flat=True)) for g, n in GROUPS.items()}


@dataclass(frozen=True)
class Worker:
    group: str
    hostname: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _start_worker(group: str, db_url: str, logs: Path) -> Worker:
    hostname = f"{group}@yunwang-test"
    log = logs / f"{group}.log"
    celery = Path(sys.executable).with_name("celery")
    args = [str(celery), "-A", "yunwang", "worker", "-Q", queue_for(group), "--pool", "solo", "-c", "1"]
    args += ["-n", hostname, "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    env = os.environ | {"DATABASE_URL": db_url, "CELERY_BROKER_URL": BROKER}  # results: derived from the broker
    env.pop("CELERY_RESULT_BACKEND", None)
    with log.open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=settings.BASE_DIR)
    return Worker(group, hostname, log, process)


def _wait_ready(app: Any, workers: list[Worker]) -> None:
    waiting = {w.hostname: w for w in workers}
    deadline = time.monotonic() + WORKER_READY_SECONDS
    while waiting and time.monotonic() < deadline:
        for w in waiting.values():
            if w.process.poll() is not None:
                pytest.fail(f"celery worker {w.hostname} exited with {w.process.returncode}:\n{w.log_text()[-3000:]}")
        for reply in app.control.ping(destination=list(waiting), timeout=0.5):
            for name in reply:
                waiting.pop(name, None)
    if waiting:
        pytest.fail(f"celery workers not ready after {WORKER_READY_SECONDS:g} s: {sorted(waiting)}")


@pytest.fixture(scope="module")
def workers(celery_app: Any, shared_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Worker]]:
    logs = tmp_path_factory.mktemp("celery-workers")
    started = [_start_worker(group, shared_db, logs) for group in WORKERS]
    try:
        _wait_ready(celery_app, started)
        yield {w.group: w for w in started}
    finally:
        for w in started:
            w.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task, then exit
        for w in started:
            try:
                w.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                w.process.kill()
                w.process.wait()


def test_devices_are_split_by_group_into_chunks() -> None:
    pairs = [(1, "430105"), (2, "430104"), (3, "430105"), (4, ""), (5, "430105")]
    assert chunks_by_group(pairs, 2) == {"430104": [[2]], "430105": [[1, 3], [5]], "default": [[4]]}


def test_the_result_backend_follows_the_broker() -> None:
    from yunwang.celery import default_result_backend

    assert default_result_backend("redis://127.0.0.1:6379/0", None) == "redis://127.0.0.1:6379/0"
    assert default_result_backend("amqp://guest:guest@127.0.0.1:5672//", "") == "rpc://"
    assert default_result_backend("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1") == "redis://127.0.0.1:6379/1"
    assert default_result_backend("", None) is None


def test_distributed_needs_a_broker() -> None:
    # Without CELERY_BROKER_URL the settings make Celery eager: --distributed must say what is missing.
    from yunwang.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=None, task_always_eager=True)
    try:
        with pytest.raises(CommandError, match="needs a broker: set CELERY_BROKER_URL"):
            call_command("poll", "--distributed", "--once", stdout=StringIO())
    finally:
        app.conf.update(saved)


def test_an_unreachable_broker_fails_at_once_without_its_password() -> None:
    from yunwang.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    closed = "redis://:s3cret-pw@127.0.0.1:1/0"  # nothing listens on port 1
    app.conf.update(broker_url=closed, result_backend=closed, task_always_eager=False)
    _drop_connections(app)
    t0 = time.monotonic()
    try:
        with pytest.raises(CommandError, match=r"cannot send poll tasks to the broker at redis://:\*\*@127") as err:
            call_command("poll", "--distributed", "--once", stdout=StringIO())
    finally:
        app.conf.update(saved)
        _drop_connections(app)
    assert time.monotonic() - t0 < 15  # no long reconnect loop
    assert "s3cret" not in str(err.value)


@WITH_WORKERS
def test_each_group_is_polled_by_its_own_worker_and_a_missing_one_times_out(
    workers: dict[str, Worker], inventory: dict[str, list[int]]
) -> None:
    out = StringIO()
    t0 = time.monotonic()
    call_command("poll", "--distributed", "--once", "--group-timeout", GROUP_TIMEOUT, "--retries", "2", stdout=out)
    elapsed = time.monotonic() - t0
    lines = out.getvalue().splitlines()
    text = out.getvalue()
    assert elapsed < float(GROUP_TIMEOUT) + 5, text  # the missing group costs its timeout, not more
    for group in WORKERS:
        line = next((x for x in lines if f"[{queue_for(group)} on " in x), text)
        assert line.startswith(f"discovery [{queue_for(group)} on {workers[group].hostname}]: polled 2/2, failed 0 ")
    assert f"no worker took the task from queue poll.430105-z within {GROUP_TIMEOUT} s" in text
    assert "celery -A yunwang worker -Q poll.430105-z" in text
    assert lines[-1].startswith("discovery: polled 4/5, failed 1 (no_worker 1), "), text

    polled = Device.objects.filter(pk__in=inventory["430105-a"] + inventory["430105-b"])
    assert all(d.reachable and d.last_discovery is not None for d in polled), text
    missing = Device.objects.get(pk__in=inventory["430105-z"])
    assert (missing.reachable, missing.last_polled) == (None, None)  # a missing poller says nothing of devices

    rows = {c.poller_group: c for c in PollCycle.objects.filter(skipped=False)}
    assert set(rows) == set(GROUPS)  # one PollCycle per group, none left by the workers' own cycles
    assert (rows["430105-a"].polled, rows["430105-a"].failed, rows["430105-a"].kind) == (2, 0, "discovery")
    assert (rows["430105-z"].polled, rows["430105-z"].failed_by_reason) == (0, {"no_worker": 1})

    # Each worker ran only its own group's task (the worker logs each task's returned summary).
    for group, worker in workers.items():
        log = worker.log_text()
        assert f"'group': '{group}'" in log
        assert not any(f"'group': '{other}'" in log for other in GROUPS if other != group), log


@WITH_WORKERS
def test_a_worker_never_polls_another_groups_device(
    workers: dict[str, Worker], inventory: dict[str, list[int]], celery_app: Any
) -> None:
    # A task for group a that names group b's devices (a misrouted or forged message) polls nothing.
    before = {d.pk: d.last_polled for d in Device.objects.filter(pk__in=inventory["430105-b"])}
    result = celery_app.send_task(
        TASK_NAME, args=[inventory["430105-b"], "status", "430105-a", {}], queue=queue_for("430105-a")
    )
    summary = result.get(timeout=20)
    assert (summary["worker"], summary["devices"], summary["polled"]) == (workers["430105-a"].hostname, 0, 0)
    assert {d.pk: d.last_polled for d in Device.objects.filter(pk__in=inventory["430105-b"])} == before
    assert set(summary) >= {"failed_by_reason", "changes", "duration_seconds"}
    assert "community" not in str(summary).lower()


@WITH_WORKERS
def test_the_distributed_loop_keeps_the_runners_schedule(workers: dict[str, Worker], inventory: Any) -> None:
    # Two cycles of group a: a discovery, then a status poll one interval later; one PollCycle each.
    out = StringIO()
    args = ["--distributed", "--loop", "--cycles", "2", "--interval", "8", "--discovery-every", "2"]
    call_command("poll", *args, "--poller-group", "430105-a", stdout=out)
    lines = [x for x in out.getvalue().splitlines() if x.startswith(("discovery", "status"))]
    where = f"[poll.430105-a on {workers['430105-a'].hostname}]"
    assert [x.split(":")[0] for x in lines] == [f"discovery {where}", "discovery", f"status {where}", "status"]
    assert all(", failed 0 " in x for x in lines), out.getvalue()
    cycles = PollCycle.objects.filter(skipped=False).order_by("started_at")
    assert [(c.kind, c.poller_group, c.polled) for c in cycles] == [
        ("discovery", "430105-a", 2),
        ("status", "430105-a", 2),
    ]
