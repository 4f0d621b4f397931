import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _create_queue_folders():
    # The filesystem broker (the embedded default) needs its folders before the app starts.
    from django.conf import settings

    for key in ("data_folder_in", "processed_folder", "control_folder"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)


app.on_after_configure.connect(lambda sender, **kw: _create_queue_folders(), weak=False)
app.autodiscover_tasks()
