"""The submission-monitoring page inside Airflow: who sent, who is late or missing,
who must fix what, and every version an LAO sent.

``plugins/itaflow_monitor.py`` wires HTTP to these functions; each takes the
settings and the request's parameters and returns one JSON-ready dict (or a file):

- ``request``: the parameters validated (``MonitorError`` for what cannot be
  answered), the rounds offered, filters and links;
- ``page``: one round (``monitor_view``); ``matrix``: LAOs × rounds
  (``matrix_view``); ``history``: one LAO's versions (``lao_view``);
- ``files``: compiled reports and kept originals, never a path from the request.

Words, figures, tables and rows come from ``itaflow.present``, so the page says
what the report, the mails and ``itaflow status`` say. Reading a round goes
through ``itaflow.warehouse.report_data``.
"""

from itaflow.monitor.files import list_reports, original_download, report_file
from itaflow.monitor.history import lao_view
from itaflow.monitor.matrix import matrix_view
from itaflow.monitor.page import build_view, monitor_view
from itaflow.monitor.request import MonitorError, Query, available_rounds, default_round

__all__ = [
    "MonitorError",
    "Query",
    "available_rounds",
    "build_view",
    "default_round",
    "lao_view",
    "list_reports",
    "matrix_view",
    "monitor_view",
    "original_download",
    "report_file",
]
