"""notify: the deadline watcher, subscriptions, and alert delivery by email and webhook.

- `domain/`: pure rules and texts (the deadline rule, subscription matching, message texts, the retry
  schedule, the records notify keeps).
- `handlers.py`: the one table from event type to handler (or IGNORED), and the projection that runs it;
  `watcher.py` publishes passed deadlines, `worker.py` sends the queued deliveries.
- `adapters/`: the SQL repository (and its tables in `orm.py`), the stream publisher, the Notifications
  port with one adapter per channel (`notifications.CHANNELS`), in-memory fakes of the ports.
- `entrypoints/`: HTTP routes by resource and the event consumer; `bootstrap.py` wires them; `app.py` is the
  uvicorn entry (`services.notify.app:app`).
"""
