# Multi-stage: build wheels with compilers, run on a slim image as a non-root user.
# The image is the product only: bot/, handlers/, jobs/, content/, locales/. Development tools
# (devtools/: fake Bot API, demo, worker runner), tests/ and benchmarks/ stay out
# (tests/test_packaging.py checks); `python -m bot demo` in the image says so in one line.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY jobs ./jobs
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /app bot
WORKDIR /app
COPY --from=build /venv /venv
COPY bot ./bot
COPY handlers ./handlers
COPY jobs ./jobs
COPY content ./content
COPY locales ./locales
RUN mkdir -p /app/data && chown bot /app/data
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 DATABASE_PATH=/app/data/bot.sqlite3
USER bot
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=60s --timeout=10s --start-period=20s CMD ["python", "-m", "bot", "healthcheck"]
CMD ["python", "-m", "bot", "run"]
