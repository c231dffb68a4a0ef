# The itaflow image: the official Airflow 3.3 image with itaflow and exactly the versions
# pinned in uv.lock (Airflow, its Celery and SMTP providers, Great Expectations ...),
# installed by uv into a virtualenv that comes first on PATH, so the image's entrypoint
# runs this `airflow` and this `python`. itaflow itself is installed as a wheel
# (--no-editable): its suites and templates come from its package data.
FROM apache/airflow:3.3.2-python3.11

COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv

USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends poppler-utils \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /opt/itaflow && chown airflow:root /opt/itaflow
USER airflow
WORKDIR /opt/itaflow

ENV UV_PROJECT_ENVIRONMENT=/opt/itaflow/venv \
    UV_PYTHON=/usr/local/bin/python \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PATH=/opt/itaflow/venv/bin:$PATH

# Dependencies first (a layer that changes only with uv.lock), then the project.
COPY --chown=airflow:root pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY --chown=airflow:root itaflow ./itaflow
COPY --chown=airflow:root expectations ./expectations
COPY --chown=airflow:root reports ./reports
RUN uv sync --frozen --no-dev --no-editable \
    && python -c "import itaflow.resources as r; assert r.expectations_dir().is_dir(), 'no suites'"
