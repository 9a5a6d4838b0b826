# One image for the web server, the Celery worker and Celery beat (docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=portal.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
# The project declares no installable packages: this layer is its dependencies only, cached
# until pyproject.toml changes.
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /build/node_modules ./node_modules
RUN export DJANGO_SECRET_KEY=build-only-not-used-at-run-time-0123456789-abcdefghijklmnop \
 && python manage.py collectstatic --noinput -v0 \
 && python manage.py compilemessages -v0 --ignore=node_modules
RUN useradd --system --uid 1000 portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
