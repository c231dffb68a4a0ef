"""What an officer reads, built once for every place that shows it.

The report (``itaflow.compile``), the monitoring page (``itaflow.monitor``), the
mails (``itaflow.mail``, ``itaflow.remind``) and ``itaflow status`` all take their
words (``vocabulary``), figures (``counts``), tables (``tables``) and rows
(``rows``) from here, so they cannot disagree on a count, a label or a date.
Submission text is made inert here once (``text.clean``); each renderer still
escapes for its own format.
"""
