# Multi-stage: dependencies installed from the hashed lock in a build stage, the product run on a
# slim image as a non-root user. The image is the product only: bot/, handlers/, jobs/,
# content/, locales/. Development tools (devtools/: fake Bot API, demo, worker runner), tests/
# and benchmarks/ stay out (tests/test_packaging.py checks; .dockerignore keeps them, .git,
# .venv, .env and data/ out of the build context); `python -m bot demo` in the image says so.
# Python 3.11: the version the lock (requirements/app.lock) and the test suite run on.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first: this layer is rebuilt only when the lock changes, not on every code change.
COPY requirements/app.lock ./app.lock
RUN python -m venv /venv && /venv/bin/pip install --require-hashes -r app.lock

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /app bot
WORKDIR /app
COPY --from=build /venv /venv
COPY bot ./bot
COPY handlers ./handlers
COPY jobs ./jobs
COPY content ./content
COPY locales ./locales
# Bytecode, the content files, the guide's search index and the UI catalogs compiled at build
# time (the app's files are read-only for the bot user at run time; without them it compiles
# them at every start). `content compile` also checks the content: a broken file stops the build.
RUN /venv/bin/python -m compileall -q bot handlers jobs && /venv/bin/python -m bot content compile \
    && /venv/bin/python -m bot faq build-index && /venv/bin/python -m bot i18n compile \
    && mkdir -p /app/data && chown bot /app/data
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_PATH=/app/data/bot.sqlite3 MPLCONFIGDIR=/tmp/matplotlib
USER bot
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s CMD ["python", "-m", "bot", "healthcheck"]
CMD ["python", "-m", "bot", "run"]
