"""What every itaflow DAG shares: schedule basics, retry defaults, the warehouse
preparation task and the SMTP connection look-up. It lives in ``plugins/`` because
every Airflow component puts the plugins folder on ``sys.path`` (the DAGs import it)
and the DAG processor does not parse it for DAGs.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import task

TIMEZONE = "Asia/Bangkok"


def dag_options(retries: int, retry_minutes: int) -> dict:
    """``@dag`` keyword arguments common to every itaflow DAG."""
    return {
        "start_date": pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
        "catchup": False,
        "max_active_runs": 1,
        "tags": ["itaflow"],
        "default_args": {
            "retries": retries,
            "retry_delay": pendulum.duration(minutes=retry_minutes),
            # No task may hold the DAG (max_active_runs=1) forever.
            "execution_timeout": pendulum.duration(minutes=30),
        },
    }


@task
def prepare_warehouse() -> None:
    """Migrate the warehouse and sync the LAO registry before anything reads it."""
    from itaflow import pipeline, settings

    pipeline.prepare_warehouse(settings.load())


def smtp_from_connection():
    """Airflow's ``smtp_default`` connection as itaflow's SmtpConfig, or None for the outbox.

    Only a connection that is not defined (or has no host) means the outbox, and the log
    says so; any other failure to read it fails the task (Airflow retries) instead of
    silently writing the mail to a folder nobody reads.
    """
    import logging

    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    from itaflow.mail import SmtpConfig

    log = logging.getLogger(__name__)
    try:
        conn = Connection.get("smtp_default")
    except AirflowNotFoundException:
        log.warning("no smtp_default connection: mails are written to the outbox")
        return None
    if not conn or not conn.host:
        log.warning("smtp_default has no host: mails are written to the outbox")
        return None
    extra = conn.extra_dejson or {}
    return SmtpConfig(
        host=conn.host,
        port=int(conn.port or 25),
        user=conn.login or None,
        password=conn.password or None,
        starttls=not bool(extra.get("disable_tls", True)),
        timeout=float(extra.get("timeout", 30)),
    )
