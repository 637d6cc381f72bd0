"""sparktop progress listener: serve Structured Streaming progress over HTTP.

Attach it to any PySpark (>= 3.4, classic mode) application in one line::

    import sparktop_listener
    sparktop_listener.attach(spark, host="127.0.0.1", port=4090)

It registers a ``StreamingQueryListener`` that keeps the most recent progress
events of every streaming query of the driver in a bounded ring (default 2000
events per driver process, ``capacity=`` or env ``SPARKTOP_LISTENER_CAPACITY``)
and serves them read-only over HTTP from a daemon thread:

``GET /progress[?since=<batchId>[&runId=<runId>]]``
    ``{"queries":    [{"id", "runId", "name"}, ...],            # every run seen, in start order
       "progress":   [<Spark's own progress JSON>, ...],         # in arrival order
       "terminated": [{"id", "runId", "exception"}, ...],         # runs that ended
       "settings":   {"trigger": ..., ...}}``                      # what attach(settings=) was told
    Each ``progress`` element is ``event.progress.json`` exactly as Spark wrote
    it (batchId, numInputRows, inputRowsPerSecond, processedRowsPerSecond,
    durationMs, eventTime, stateOperators, sources, sink, ...).
    See :meth:`ProgressStore.snapshot` for which events ``since`` selects.
    ``settings`` is what the application passed to ``attach(settings=...)``
    about its queries -- e.g. ``{"trigger": "10 seconds", "maxOffsetsPerTrigger":
    5000}`` -- options Spark's progress and REST API do not show; ``{}`` if none.
``GET /health``
    ``{"ok": true}``
Any other path is a 404, any other method a 405, a bad query parameter a 400;
all error bodies are JSON ``{"error": "<message>"}``.

If the port cannot be bound (e.g. already in use) a message naming the port is
written to stderr and the application keeps running without the endpoint: the
listener must never take the Spark job down.  Likewise an exception inside a
listener callback is reported on stderr and swallowed.

Only the listener class needs pyspark and it is built lazily inside
:func:`attach`; :class:`ProgressStore` and :class:`ProgressServer` are plain
standard-library Python (3.8+) and can be imported and tested without pyspark.
"""

from __future__ import annotations

import json
import math
import os
import sys
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Deque, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_CAPACITY",
    "ProgressStore",
    "ProgressServer",
    "SparktopListenerHandle",
    "attach",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4090
DEFAULT_CAPACITY = 2000
#: at most this many runs (query starts) are remembered for "queries"/"terminated"
MAX_RUNS = 256

_LOG_PREFIX = "sparktop_listener:"


def _log(message: str) -> None:
    try:
        print(f"{_LOG_PREFIX} {message}", file=sys.stderr, flush=True)
    except Exception:  # stderr closed: nothing sensible left to do
        pass


def _finite(value: Any) -> Any:
    """Replace NaN/Infinity (not valid JSON) by None, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


class _Run:
    """One start of one streaming query (one runId)."""

    __slots__ = ("id", "run_id", "name", "order", "terminated", "exception")

    def __init__(self, query_id: str, run_id: str, name: Optional[str], order: int) -> None:
        self.id = query_id
        self.run_id = run_id
        self.name = name
        self.order = order
        self.terminated = False
        self.exception: Optional[str] = None

    @property
    def group(self) -> Tuple[str, str]:
        # A "logical query" is what a person thinks of as "the job's query": runs
        # with the same name (a fresh checkpoint gives a new id but keeps the
        # name), or, for unnamed queries, the same id.
        return ("name", self.name) if self.name else ("id", self.id)


class _Event:
    __slots__ = ("seq", "run_id", "batch_id", "text")

    def __init__(self, seq: int, run_id: str, batch_id: int, text: str) -> None:
        self.seq = seq
        self.run_id = run_id
        self.batch_id = batch_id
        self.text = text


class ProgressStore:
    """Thread-safe bounded store of streaming progress events and query runs."""

    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        max_runs: int = MAX_RUNS,
        settings: Optional[Dict[str, Any]] = None,
    ) -> None:
        if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1:
            raise ValueError(f"capacity must be a positive integer, got {capacity!r}")
        self.capacity = capacity
        self._settings_json = _dumps(dict(settings or {}))
        self._max_runs = max_runs
        self._lock = threading.Lock()
        self._events: Deque[_Event] = deque(maxlen=capacity)
        self._runs: Dict[str, _Run] = {}  # runId -> run; insertion order = start order
        self._seq = 0
        self._run_order = 0

    # ------------------------------------------------------------------ writes
    def _run(self, query_id: str, run_id: str, name: Optional[str]) -> _Run:
        run = self._runs.get(run_id)
        if run is None:
            self._run_order += 1
            run = _Run(query_id, run_id, name, self._run_order)
            self._runs[run_id] = run
            while len(self._runs) > self._max_runs:
                del self._runs[next(iter(self._runs))]
        elif name and not run.name:
            run.name = name
        return run

    def query_started(self, query_id: Any, run_id: Any, name: Optional[str]) -> None:
        with self._lock:
            self._run(str(query_id), str(run_id), name or None)

    def query_terminated(self, query_id: Any, run_id: Any, exception: Optional[str]) -> None:
        with self._lock:
            run = self._run(str(query_id), str(run_id), None)
            run.terminated = True
            run.exception = exception if exception else None

    def add_progress(self, progress: Any) -> Dict[str, Any]:
        """Add one progress event: Spark's ``event.progress.json`` (str) or a parsed dict.

        Returns the parsed progress.  Raises ValueError when it is not a progress
        object (no id/runId/batchId).
        """
        parsed = json.loads(progress) if isinstance(progress, (str, bytes)) else progress
        if not isinstance(parsed, dict):
            raise ValueError("progress JSON must be an object")
        parsed = _finite(parsed)
        query_id, run_id, batch_id = parsed.get("id"), parsed.get("runId"), parsed.get("batchId")
        if not isinstance(query_id, str) or not isinstance(run_id, str):
            raise ValueError("progress JSON has no id/runId")
        if not isinstance(batch_id, int) or isinstance(batch_id, bool):
            raise ValueError("progress JSON has no integer batchId")
        text = _dumps(parsed)
        with self._lock:
            self._run(query_id, run_id, parsed.get("name") or None)
            self._seq += 1
            self._events.append(_Event(self._seq, run_id, batch_id, text))
        return parsed

    # ------------------------------------------------------------------- reads
    def __len__(self) -> int:
        with self._lock:
            return len(self._events)

    def snapshot(self, since: Optional[int] = None, run_id: Optional[str] = None) -> Dict[str, Any]:
        """Return ``{"queries", "progress", "terminated", "settings"}``; see :meth:`snapshot_json`."""
        return json.loads(self.snapshot_json(since, run_id))

    def snapshot_json(self, since: Optional[int] = None, run_id: Optional[str] = None) -> str:
        """The ``/progress`` response body.

        Which progress events are returned
        ----------------------------------
        * no ``since`` (or ``since < 0``): every event in the ring.

        * ``since=N`` -- "the last batchId I saw was N".  Batch ids only order
          events within one run, and a restart may renumber them: a run resumed
          from the same checkpoint continues the numbering (same query id, new
          runId), a run from a fresh checkpoint starts again at 0 (new id, and
          after a resubmission also a new driver process with an empty ring).
          The filter therefore works per *logical query* -- runs sharing a query
          name, or the id when the query is unnamed -- over its runs in start
          order:

          1. the *anchor* is the newest run holding an event with batchId >= N:
             the run whose numbering N belongs to;
          2. anchor: events with batchId > N;
          3. runs newer than the anchor: **all** their events (they restarted
             the numbering below N, so the caller cannot have seen any of them);
             if no run reaches N, every run counts as newer and all is returned
             (e.g. a resubmitted job that restarted from batch 0 in a fresh
             driver process);
          4. runs older than the anchor: events with N < batchId < the anchor's
             lowest batchId, i.e. the unseen tail of a run whose numbering the
             anchor continued; nothing when the anchor restarted the numbering.

          So a monitor that polls with ``since`` = the batchId of the last
          element of the previous ``progress`` list sees every batch once,
          across resume-restarts and fresh-checkpoint restarts.  What ``since``
          alone cannot tell apart: a restarted run that already got past N
          before the caller's next poll (its batches <= N are skipped), and
          several logical queries running at once (one N cannot be a cursor for
          all of them).  Pass ``runId`` for the exact form:

        * ``since=N&runId=R`` (R = runId of the event whose batchId was N): in
          R's logical query, R's events with batchId > N plus all events of the
          runs started after R; older runs are left out.  Other logical queries
          follow the ``since``-only rule.  If R is not in this store (the driver
          was resubmitted, or R aged out), the ``since``-only rule applies.

        ``queries`` lists every run known (start order, newest last, at most
        ``MAX_RUNS``) and ``terminated`` the runs that have ended, with the
        exception message or null; both are independent of ``since``.
        """
        with self._lock:
            runs = list(self._runs.values())
            events = list(self._events)
        if since is not None and since < 0:
            since = None

        if since is None:
            selected = events
        else:
            by_run: Dict[str, List[_Event]] = {}
            for ev in events:
                by_run.setdefault(ev.run_id, []).append(ev)
            run_by_id = {r.run_id: r for r in runs}
            groups: Dict[Tuple[str, str], List[_Run]] = {}
            for r in sorted(runs, key=lambda r: r.order):
                groups.setdefault(r.group, []).append(r)
            anchor_run = run_by_id.get(run_id) if run_id else None
            keep: Dict[str, Any] = {}  # runId -> predicate(batchId) -> bool
            for group, group_runs in groups.items():
                if anchor_run is not None and anchor_run.group == group:
                    idx = group_runs.index(anchor_run)
                    keep[anchor_run.run_id] = lambda b, n=since: b > n
                    for r in group_runs[idx + 1:]:
                        keep[r.run_id] = lambda b: True
                    continue
                # since-only rule
                idx = None
                for i in range(len(group_runs) - 1, -1, -1):
                    evs = by_run.get(group_runs[i].run_id)
                    if evs and max(e.batch_id for e in evs) >= since:
                        idx = i
                        break
                if idx is None:
                    for r in group_runs:
                        keep[r.run_id] = lambda b: True
                    continue
                anchor = group_runs[idx]
                keep[anchor.run_id] = lambda b, n=since: b > n
                for r in group_runs[idx + 1:]:
                    keep[r.run_id] = lambda b: True
                low = min(e.batch_id for e in by_run[anchor.run_id])
                for r in group_runs[:idx]:
                    keep[r.run_id] = lambda b, n=since, lo=low: n < b < lo
            selected = [
                ev for ev in events
                if ev.run_id in keep and keep[ev.run_id](ev.batch_id)
            ]
            # events of runs evicted from the run table (more than MAX_RUNS runs):
            # their group is unknown; keep them when newer than N.
            selected_ids = {ev.seq for ev in selected}
            for ev in events:
                if ev.run_id not in run_by_id and ev.batch_id > since and ev.seq not in selected_ids:
                    selected.append(ev)
            selected.sort(key=lambda ev: ev.seq)

        queries = [{"id": r.id, "runId": r.run_id, "name": r.name} for r in runs]
        terminated = [
            {"id": r.id, "runId": r.run_id, "exception": r.exception} for r in runs if r.terminated
        ]
        return (
            '{"queries":' + _dumps(queries)
            + ',"progress":[' + ",".join(ev.text for ev in selected) + "]"
            + ',"terminated":' + _dumps(terminated)
            + ',"settings":' + self._settings_json + "}"
        )


class _BadRequest(Exception):
    pass


def _parse_progress_params(query: str) -> Tuple[Optional[int], Optional[str]]:
    try:
        params = parse_qs(query, keep_blank_values=True, strict_parsing=False)
    except ValueError as err:
        raise _BadRequest(f"malformed query string: {err}") from None
    # other parameters are ignored (e.g. a client's cache buster)
    since: Optional[int] = None
    if "since" in params:
        values = params["since"]
        if len(values) != 1:
            raise _BadRequest("'since' given more than once")
        raw = values[0].strip()
        try:
            since = int(raw, 10)
        except ValueError:
            raise _BadRequest(
                f"'since' must be an integer batchId (>= -1), got {values[0]!r}"
            ) from None
        if since < -1:
            raise _BadRequest(f"'since' must be an integer batchId (>= -1), got {values[0]!r}")
    run_id: Optional[str] = None
    if "runId" in params:
        values = params["runId"]
        if len(values) != 1 or not values[0].strip():
            raise _BadRequest("'runId' must be given once and be non-empty")
        if since is None:
            raise _BadRequest("'runId' needs 'since' (the batchId last seen in that run)")
        run_id = values[0].strip()
    return since, run_id


class _Handler(BaseHTTPRequestHandler):
    server_version = "sparktop-listener/1"
    protocol_version = "HTTP/1.1"

    # set on the subclass created per server
    store: ProgressStore

    def _send(self, status: int, body: str, extra_headers: Optional[Dict[str, str]] = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str, extra_headers: Optional[Dict[str, str]] = None) -> None:
        self._send(status, _dumps({"error": message}), extra_headers)

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        try:
            parts = urlsplit(self.path)
            path = parts.path.rstrip("/") or "/"
            if path == "/health":
                self._send(200, '{"ok":true}')
            elif path == "/progress":
                try:
                    since, run_id = _parse_progress_params(parts.query)
                except _BadRequest as err:
                    self._error(400, str(err))
                    return
                self._send(200, self.store.snapshot_json(since, run_id))
            else:
                self._error(404, f"not found: {parts.path}; endpoints: GET /progress?since=<batchId>, GET /health")
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as err:  # never let a request kill the thread silently
            try:
                self._error(500, f"internal error: {err}")
            except Exception:
                pass

    def _not_allowed(self) -> None:
        # drain a request body so the connection stays usable
        length = self.headers.get("Content-Length")
        if length and length.isdigit():
            self.rfile.read(int(length))
        self._error(405, f"method {self.command} not allowed; this endpoint is read-only (GET)",
                    {"Allow": "GET"})

    def __getattr__(self, name: str) -> Any:
        # BaseHTTPRequestHandler dispatches to do_<METHOD>; answer every method but GET with 405
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep the Spark driver's console clean


class ProgressServer:
    """A ThreadingHTTPServer serving a :class:`ProgressStore` from a daemon thread."""

    def __init__(self, store: ProgressStore, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
        handler = type("SparktopProgressHandler", (_Handler,), {"store": store})
        # raises OSError (e.g. EADDRINUSE) before any thread is started
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self.store = store
        self.host = host
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name=f"sparktop-listener-http-{self.port}", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class SparktopListenerHandle:
    """What :func:`attach` returns: the store, the server (None when not serving), the listener."""

    def __init__(self, store: ProgressStore, server: Optional[ProgressServer], listener: Any) -> None:
        self.store = store
        self.server = server
        self.listener = listener

    @property
    def url(self) -> Optional[str]:
        return self.server.url if self.server else None

    def close(self, spark: Any = None) -> None:
        """Stop serving (and deregister the listener when ``spark`` is given)."""
        if spark is not None and self.listener is not None:
            try:
                spark.streams.removeListener(self.listener)
            except Exception as err:
                _log(f"could not remove the listener: {err}")
        if self.server is not None:
            self.server.close()
            self.server = None


def _listener_class() -> type:
    # pyspark is imported here, not at module level, so the rest of the module
    # works (and is unit-tested) without pyspark.
    from pyspark.sql.streaming import StreamingQueryListener

    class SparktopStreamingQueryListener(StreamingQueryListener):
        def __init__(self, store: ProgressStore) -> None:
            super().__init__()
            self.store = store
            self._errors = 0

        def _failed(self, where: str, err: BaseException) -> None:
            self._errors += 1
            if self._errors <= 5:
                _log(f"error in {where} (ignored, the query keeps running): {err!r}")

        def onQueryStarted(self, event: Any) -> None:  # noqa: N802
            try:
                self.store.query_started(event.id, event.runId, event.name)
            except Exception as err:
                self._failed("onQueryStarted", err)

        def onQueryProgress(self, event: Any) -> None:  # noqa: N802
            try:
                self.store.add_progress(event.progress.json)
            except Exception as err:
                self._failed("onQueryProgress", err)

        def onQueryIdle(self, event: Any) -> None:  # noqa: N802  (PySpark >= 3.5)
            pass

        def onQueryTerminated(self, event: Any) -> None:  # noqa: N802
            try:
                self.store.query_terminated(event.id, event.runId, event.exception)
            except Exception as err:
                self._failed("onQueryTerminated", err)

    return SparktopStreamingQueryListener


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        _log(f"ignoring {name}={raw!r}: not an integer; using {default}")
        return default


def attach(
    spark: Any,
    host: Optional[str] = None,
    port: Optional[int] = None,
    capacity: Optional[int] = None,
    settings: Optional[Dict[str, Any]] = None,
) -> SparktopListenerHandle:
    """Register the progress listener on ``spark`` and serve ``/progress`` on host:port.

    Call it before starting the streaming query (a query started earlier is
    picked up at its next progress event, without its start event).
    Defaults: host 127.0.0.1, port 4090, capacity 2000 events (env
    ``SPARKTOP_LISTENER_CAPACITY``).  Port 0 picks a free port (see
    ``handle.server.port``).  If the port cannot be bound, a message naming it
    goes to stderr and the listener still records (``handle.server`` is None);
    the application is never stopped by this module.
    ``settings`` (JSON-serialisable) is served as is in every ``/progress``
    answer: the query options a monitor cannot see otherwise (the trigger,
    ``maxOffsetsPerTrigger``).
    """
    host = host or DEFAULT_HOST
    port = DEFAULT_PORT if port is None else int(port)
    if capacity is None:
        capacity = _env_int("SPARKTOP_LISTENER_CAPACITY", DEFAULT_CAPACITY)
    if capacity < 1:
        _log(f"capacity {capacity} is not positive; using {DEFAULT_CAPACITY}")
        capacity = DEFAULT_CAPACITY
    try:
        store = ProgressStore(capacity, settings=settings)
    except (TypeError, ValueError) as err:
        _log(f"settings are not JSON-serialisable ({err}); serving none")
        store = ProgressStore(capacity)

    server: Optional[ProgressServer] = None
    try:
        server = ProgressServer(store, host, port)
        _log(f"serving streaming progress at {server.url}/progress (ring of {capacity} events)")
    except OSError as err:
        import errno

        if err.errno == errno.EADDRINUSE:
            why = f"port {port} is already in use on {host}"
        elif err.errno == errno.EACCES:
            why = f"no permission to bind port {port} on {host}"
        else:
            why = f"cannot bind {host}:{port} ({err})"
        _log(
            f"{why}; progress HTTP endpoint DISABLED, the Spark job keeps running without it "
            f"(free the port or choose another with SPARKTOP_LISTENER_PORT / --listener-port)"
        )
    except Exception as err:  # e.g. unresolvable host
        _log(f"cannot serve on {host}:{port} ({err}); progress HTTP endpoint DISABLED, the job keeps running")

    listener = None
    try:
        listener = _listener_class()(store)
        spark.streams.addListener(listener)
    except Exception as err:
        _log(f"could not register the StreamingQueryListener (needs PySpark >= 3.4, classic mode): {err}")
        listener = None
    return SparktopListenerHandle(store, server, listener)
