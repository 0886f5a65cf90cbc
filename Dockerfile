# One image for web (gunicorn), the Celery worker and beat, and the simulator.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/app/var

WORKDIR /app

# The same hash-checked lock file that `python3 dev.py` and CI install.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .

# collectstatic only reads files: the build-time secrets are never used at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_SALT=collectstatic-only \
        python manage.py collectstatic --noinput \
    && python -m config.catalogues \
    && useradd --create-home --uid 1000 app \
    && mkdir -p "$VAR_DIR" \
    && chown -R app "$VAR_DIR"

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"]
