# The helpline service image: slim Python, non-root user, compiled catalogs, health check
# (/readyz: database, content and Telegram ready; /livez and /healthz stay for other probes).
# Content (flows/, locales/) is baked in; an NGO may mount its own and set FLOWS_DIR/LOCALES_DIR.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Graphviz draws the flow diagram on the admin page (without it the page shows Mermaid text).
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin helpline

# Dependencies in their own layer, before the code: pinned by the same constraints as development
# and CI, and rebuilt only when pyproject.toml or constraints.txt change. Only the service's own
# dependencies: no extras (the editor and dev tools stay out of the image).
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --constraint constraints.txt --requirement /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code, without resolving dependencies again.
COPY README.md ./
COPY bot ./bot
# `python -m bot` run from /app imports this folder (the working directory comes first on the
# path), not the installed copy, and PYTHONDONTWRITEBYTECODE keeps Python from caching its
# bytecode: compile it here once, or every start compiles the whole package again (a quarter
# of a second of each start, measured by `make bench`).
RUN pip install --no-deps --constraint constraints.txt . \
    && python -m compileall -q bot

COPY --chown=helpline:helpline flows ./flows
COPY --chown=helpline:helpline locales ./locales
RUN pybabel compile --domain messages --directory locales \
    && mkdir -p /data && chown helpline:helpline /data

ENV HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    FLOWS_DIR=/app/flows \
    LOCALES_DIR=/app/locales \
    NLU_CACHE_DIR=/app/nlu-cache
# The free-text classifier for the baked-in content, trained once here (31 s on a 2-core
# machine): a new container loads it seconds after it starts instead of training it for half a
# minute (danger phrases and keywords answer typed text until it is in). Content mounted over
# flows/ trains in the background as usual, into the same folder (the service's user owns it).
RUN python -m bot train && chown -R helpline:helpline /app/nlu-cache
VOLUME ["/data"]
USER helpline
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"]
CMD ["python", "-m", "bot", "run"]
