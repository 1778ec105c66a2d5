# The portal under gunicorn. docker-compose.yml runs two of it behind nginx, with the worker.

# The front end: GOV.UK Frontend and the portal's Sass, built with Node.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --omit=optional --omit=dev --no-audit --no-fund
COPY frontend ./frontend
RUN npm run build

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Pango for WeasyPrint (the report PDFs); the fonts the reports use ship with the project.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml ./
COPY portal ./portal
COPY ratings ./ratings
COPY reports ./reports
RUN pip install .

COPY . .
COPY --from=frontend /app/static ./static
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# The media and static volumes (docker-compose.yml) start as copies of these folders, so
# they belong to the portal user from the first start.
RUN useradd --system --uid 1000 portal && mkdir -p /app/media /srv/static \
    && chown -R portal /app /srv/static
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "gthread", "--threads", "4"]
