FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
RUN apt-get update && apt-get install -y --no-install-recommends \
      gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements-runtime.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements-runtime.lock
COPY . .
RUN SECRET_KEY=build-only-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 alliance && mkdir -p /app/var && chown alliance /app/var
USER alliance
EXPOSE 8000
CMD ["gunicorn", "alliance.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
