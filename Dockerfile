# Hearth production image: one image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # Run the app from /app (not site-packages) so BASE_DIR, templates and staticfiles live there.
    PYTHONPATH=/app

# procps: pgrep for the beat health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends procps \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install .

# Static files are baked into the image; settings need some values at import, none are used here.
RUN SECRET_KEY=collectstatic-only \
    DATABASE_URL=postgresql://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

RUN useradd --system --create-home --home-dir /home/hearth hearth
USER hearth

EXPOSE 8000
# Host from ALLOWED_HOSTS and X-Forwarded-Proto so neither host validation nor the SSL redirect
# turns the probe into a 400/301.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=5 \
    CMD python -c "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].lstrip('.'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"

CMD ["gunicorn", "hearth.wsgi", "-b", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
