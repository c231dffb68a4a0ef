# The itaflow image: the official Airflow 3.3 image plus the itaflow package.
FROM apache/airflow:3.3.2-python3.11
USER root
RUN apt-get update && apt-get install -y --no-install-recommends poppler-utils \
    && rm -rf /var/lib/apt/lists/*
USER airflow
COPY --chown=airflow:root pyproject.toml uv.lock README.md /opt/itaflow/
COPY --chown=airflow:root itaflow /opt/itaflow/itaflow
COPY --chown=airflow:root expectations /opt/itaflow/expectations
COPY --chown=airflow:root reports /opt/itaflow/reports
COPY --chown=airflow:root sql /opt/itaflow/sql
RUN pip install --no-cache-dir "/opt/itaflow"
