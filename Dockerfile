# Retret's production image: one image for the web (gunicorn), worker and beat (Celery) services of
# docker-compose.yml. Static files are collected and translations compiled at build time; uploaded and
# generated files live in the /app/var/media volume.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries, and gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system retret \
    && useradd --system --gid retret --home-dir /app --no-create-home --shell /usr/sbin/nologin retret

WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# Settings need a secret key and hosts when DEBUG is off; these dummy values exist only for these two
# commands, never in the image's environment. The files they write stay owned by root (read-only at run
# time); only var/ (media, beat schedule) belongs to the app user.
RUN SECRET_KEY=build-only-not-secret DEBUG=false ALLOWED_HOSTS=localhost \
        python manage.py compilemessages -v 0 \
    && SECRET_KEY=build-only-not-secret DEBUG=false ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/var/media \
    && chown -R retret:retret /app/var

VOLUME ["/app/var/media"]

USER retret

EXPOSE 8000

# Workers: WEB_CONCURRENCY (gunicorn reads it), 2 per core.
CMD ["gunicorn", "retreat.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
