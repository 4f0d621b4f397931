"""A real Celery worker against the real Redis and PostgreSQL (CI's production stack)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from alliance.celery import app
from alliance.models import Notification
from alliance.services.notifications import notify

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not settings.REDIS_URL or connection.vendor != "postgresql",
                       reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI starts both)"),
]


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    queue = f"integration-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_QUEUE": queue,
           "EMAIL_URL": f"filemail://{tmp_path}", "ALLIANCE_TESTING": "0",
           "CELERY_TASK_ALWAYS_EAGER": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "alliance", "worker", "--pool", "solo",
         "--loglevel", "INFO", "-Q", queue], env=env, cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield process, tmp_path
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_notification_by_email(cast, worker):
    process, mail_dir = worker
    with transaction.atomic():
        note = notify(recipient=cast.home.expert, key="integration:1",
                      subject="Regular meeting agenda is fixed")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        note.refresh_from_db()
        if note.delivered_at:
            break
        assert process.poll() is None, process.stdout.read()
        time.sleep(0.5)
    assert note.delivered_at, "the worker did not deliver within 60 s"
    sent = "".join(p.read_text() for p in Path(mail_dir).iterdir())
    assert "Regular meeting agenda is fixed" in sent and cast.home.expert.email in sent
    assert Notification.objects.get(pk=note.pk).attempts == 1
