# Crosstalk: the Discord bot (and the `crosstalk` CLI) in one small image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CROSSTALK_DB=/data/crosstalk.db

WORKDIR /app
COPY pyproject.toml README.md* ./
COPY bot ./bot
COPY config ./config
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /data crosstalk \
    && mkdir -p /data && chown crosstalk /data

USER crosstalk
VOLUME ["/data"]
CMD ["crosstalk", "run"]
