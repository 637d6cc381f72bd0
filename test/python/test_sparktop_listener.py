"""Unit tests for spark-apps/sparktop_listener.py (store + HTTP server) and the job's config.

Standard library only, no pyspark:  python3 -m unittest discover -s test/python -v
Fixtures in test/fixtures/progress/ are real progress events recorded from Spark by
scripts/record-progress-fixtures.py (never hand-written).
"""

from __future__ import annotations

import contextlib
import copy
import http.client
import io
import json
import os
import socket
import sys
import threading
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPARK_APPS = os.path.join(ROOT, "spark-apps")
FIXTURES = os.path.join(ROOT, "test", "fixtures", "progress")
sys.path.insert(0, SPARK_APPS)

import sparktop_listener as sl  # noqa: E402
import spark_structured_streaming_logs_processing as job  # noqa: E402


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return json.load(f)


RUN1 = fixture("rate-count-run1.json")  # name rate_count, batches 0..5
RUN2 = fixture("rate-count-run2-resumed.json")  # same id, new runId, batches 6..8
RUN3 = fixture("rate-count-run3-fresh-checkpoint.json")  # same name, new id, batches 0..2
WINDOW = fixture("rate-window-watermark.json")  # name rate_window, batches 0..4
LIFECYCLE = fixture("lifecycle.json")
HTTP_PROGRESS = fixture("http-progress.json")


def keys(progress_list):
    """(runId, batchId) of each progress element, in order."""
    return [(p["runId"], p["batchId"]) for p in progress_list]


def store_with(*runs, capacity=sl.DEFAULT_CAPACITY):
    store = sl.ProgressStore(capacity)
    for run in runs:
        for p in run:
            store.add_progress(json.dumps(p))
    return store


class FixtureSanityTest(unittest.TestCase):
    """The recorded fixtures show what the tests below rely on."""

    def test_fixtures_are_real_progress(self):
        for run in (RUN1, RUN2, RUN3, WINDOW):
            for p in run:
                for k in ("id", "runId", "name", "timestamp", "batchId", "numInputRows",
                          "inputRowsPerSecond", "processedRowsPerSecond", "durationMs",
                          "stateOperators", "sources", "sink"):
                    self.assertIn(k, p)
        self.assertTrue(all(p["stateOperators"] for p in RUN1), "groupBy count has a state operator")
        self.assertIn("watermark", WINDOW[-1]["eventTime"])
        self.assertEqual(fixture("meta.json")["recordedBy"], "scripts/record-progress-fixtures.py")

    def test_restart_shapes(self):
        self.assertEqual([p["batchId"] for p in RUN1], list(range(len(RUN1))))
        self.assertGreaterEqual(len(RUN1), 5)
        # resumed from the same checkpoint: same id, new runId, numbering continues
        self.assertEqual({p["id"] for p in RUN2}, {RUN1[0]["id"]})
        self.assertNotEqual(RUN2[0]["runId"], RUN1[0]["runId"])
        self.assertEqual(RUN2[0]["batchId"], RUN1[-1]["batchId"] + 1)
        # fresh checkpoint: new id, same name, numbering restarts at 0
        self.assertNotEqual(RUN3[0]["id"], RUN1[0]["id"])
        self.assertEqual(RUN3[0]["name"], RUN1[0]["name"])
        self.assertEqual(RUN3[0]["batchId"], 0)


class StoreTest(unittest.TestCase):
    def test_no_since_returns_everything_in_arrival_order_unchanged(self):
        store = store_with(RUN1, WINDOW)
        snap = store.snapshot()
        self.assertEqual(snap["progress"], RUN1 + WINDOW)  # Spark's JSON, untouched
        self.assertEqual(snap["terminated"], [])
        self.assertEqual(
            snap["queries"],
            [{"id": RUN1[0]["id"], "runId": RUN1[0]["runId"], "name": "rate_count"},
             {"id": WINDOW[0]["id"], "runId": WINDOW[0]["runId"], "name": "rate_window"}],
        )

    def test_settings_are_served_as_given(self):
        store = sl.ProgressStore(10, settings={"trigger": "10 seconds", "maxOffsetsPerTrigger": 5000})
        self.assertEqual(store.snapshot()["settings"], {"trigger": "10 seconds", "maxOffsetsPerTrigger": 5000})
        self.assertEqual(store.snapshot(3)["settings"], {"trigger": "10 seconds", "maxOffsetsPerTrigger": 5000})

    def test_since_filters_batch_ids(self):
        store = store_with(RUN1)
        self.assertEqual([p["batchId"] for p in store.snapshot(2)["progress"]], [3, 4, 5])
        self.assertEqual(store.snapshot(5)["progress"], [])
        self.assertEqual(len(store.snapshot(-1)["progress"]), 6)
        self.assertEqual(len(store.snapshot(None)["progress"]), 6)

    def test_since_beyond_every_run_returns_all(self):
        # e.g. a resubmitted driver whose fresh checkpoint restarted at batch 0
        # while the monitor still holds since=<old run's last batch>
        store = store_with(RUN3)
        self.assertEqual(keys(store.snapshot(100)["progress"]), keys(RUN3))

    def test_bounded_ring_keeps_newest(self):
        store = store_with(RUN1, capacity=4)
        self.assertEqual(len(store), 4)
        self.assertEqual([p["batchId"] for p in store.snapshot()["progress"]], [2, 3, 4, 5])
        store = store_with(RUN1, RUN2, RUN3, WINDOW, capacity=5)
        self.assertEqual(keys(store.snapshot()["progress"]), keys((RUN1 + RUN2 + RUN3 + WINDOW)[-5:]))
        # many more events than capacity: never grows
        store = sl.ProgressStore(10)
        for _ in range(30):
            for p in RUN1:
                store.add_progress(p)
        self.assertEqual(len(store), 10)

    def test_bounded_run_table(self):
        store = sl.ProgressStore(100, max_runs=3)
        for i in range(5):
            store.query_started(f"id{i}", f"run{i}", f"q{i}")
        self.assertEqual([q["runId"] for q in store.snapshot()["queries"]], ["run2", "run3", "run4"])

    def test_capacity_must_be_positive(self):
        for bad in (0, -1, 1.5, "10", True):
            with self.assertRaises(ValueError):
                sl.ProgressStore(bad)

    def test_rejects_non_progress(self):
        store = sl.ProgressStore()
        no_batch = {k: v for k, v in RUN1[0].items() if k != "batchId"}
        for bad in ("[1,2]", "not json", json.dumps(no_batch), {"id": "x", "runId": "y", "batchId": "3"}):
            with self.assertRaises(ValueError):
                store.add_progress(bad)
        self.assertEqual(len(store), 0)

    def test_non_finite_numbers_become_null(self):
        p = copy.deepcopy(RUN1[1])
        p["inputRowsPerSecond"] = float("nan")
        p["sources"][0]["processedRowsPerSecond"] = float("inf")
        store = sl.ProgressStore()
        store.add_progress(p)
        body = store.snapshot_json()
        json.loads(body, parse_constant=lambda c: self.fail(f"invalid JSON constant {c}"))
        got = json.loads(body)["progress"][0]
        self.assertIsNone(got["inputRowsPerSecond"])
        self.assertIsNone(got["sources"][0]["processedRowsPerSecond"])

    def test_lifecycle_replay_matches_the_real_http_response(self):
        """Replaying the recorded run gives exactly what the listener served in Spark."""
        by_run = {}
        for p in HTTP_PROGRESS["progress"]:
            by_run.setdefault(p["runId"], []).append(p)
        store = sl.ProgressStore()
        for ev in LIFECYCLE:
            if ev["event"] == "started":
                store.query_started(ev["id"], ev["runId"], ev["name"])
                for p in by_run.get(ev["runId"], []):
                    store.add_progress(json.dumps(p))
            else:
                store.query_terminated(ev["id"], ev["runId"], ev["exception"])
        snap = store.snapshot()
        # recorded before "settings" existed (a store without settings serves {})
        self.assertEqual(snap.pop("settings"), {})
        self.assertEqual(snap, HTTP_PROGRESS)
        failed = [t for t in HTTP_PROGRESS["terminated"] if t["exception"]]
        self.assertEqual(len(failed), 1)
        self.assertIn("deliberate failure", failed[0]["exception"])
        self.assertEqual(len(HTTP_PROGRESS["terminated"]), len(HTTP_PROGRESS["queries"]))

    def test_progress_before_start_event_registers_the_run(self):
        store = store_with(RUN2)  # listener attached after the query started
        self.assertEqual(store.snapshot()["queries"],
                         [{"id": RUN2[0]["id"], "runId": RUN2[0]["runId"], "name": "rate_count"}])


class RestartSemanticsTest(unittest.TestCase):
    """`since` across runs: see ProgressStore.snapshot_json."""

    def test_resumed_run_continues_numbering(self):
        store = store_with(RUN1, RUN2)
        self.assertEqual(keys(store.snapshot(5)["progress"]), keys(RUN2))
        self.assertEqual(keys(store.snapshot(3)["progress"]), keys(RUN1[4:] + RUN2))
        self.assertEqual(keys(store.snapshot(7)["progress"]), keys(RUN2[2:]))
        self.assertEqual(store.snapshot(8)["progress"], [])

    def test_fresh_checkpoint_run_restarts_numbering(self):
        store = store_with(RUN1, RUN3)
        # caller saw run 1 up to batch 5: every batch of the restarted run is new to it
        self.assertEqual(keys(store.snapshot(5)["progress"]), keys(RUN3))
        # caller saw run 1 up to batch 3: the rest of run 1, then all of run 3
        self.assertEqual(keys(store.snapshot(3)["progress"]), keys(RUN1[4:] + RUN3))
        # caller follows run 3 (since=1): only run 3's newer batches, not run 1's 2..5 again
        self.assertEqual(keys(store.snapshot(1)["progress"]), keys(RUN3[2:]))
        self.assertEqual(store.snapshot(2)["progress"], [])

    def test_three_runs(self):
        store = store_with(RUN1, RUN2, RUN3)
        self.assertEqual(keys(store.snapshot(8)["progress"]), keys(RUN3))
        self.assertEqual(keys(store.snapshot(6)["progress"]), keys(RUN2[1:] + RUN3))
        self.assertEqual(keys(store.snapshot(0)["progress"]), keys(RUN3[1:]))

    def test_exact_mode_with_run_id(self):
        store = store_with(RUN1, RUN2, RUN3)
        r1, r2, r3 = RUN1[0]["runId"], RUN2[0]["runId"], RUN3[0]["runId"]
        self.assertEqual(keys(store.snapshot(1, r1)["progress"]), keys(RUN1[2:] + RUN2 + RUN3))
        self.assertEqual(keys(store.snapshot(7, r2)["progress"]), keys(RUN2[2:] + RUN3))
        self.assertEqual(keys(store.snapshot(1, r3)["progress"]), keys(RUN3[2:]))
        # unknown runId (e.g. the driver was resubmitted): the since-only rule
        self.assertEqual(keys(store.snapshot(8, "no-such-run")["progress"]), keys(RUN3))

    def test_logical_queries_are_filtered_separately(self):
        store = store_with(RUN1, WINDOW)
        self.assertEqual(keys(store.snapshot(3)["progress"]), keys(RUN1[4:] + WINDOW[4:]))

    def test_polling_monitor_sees_every_batch_exactly_once(self):
        """A monitor polling since=<batchId of the last element it got>, across a resume and a fresh restart."""
        sequence = RUN1 + RUN2 + RUN3
        for every in (1, 2, 3, 4):
            store = sl.ProgressStore()
            seen, since = [], None
            for i, p in enumerate(sequence, 1):
                store.add_progress(p)
                if i % every == 0 or i == len(sequence):
                    got = store.snapshot(since)["progress"]
                    seen += keys(got)
                    if got:
                        since = got[-1]["batchId"]
            self.assertEqual(seen, keys(sequence), f"polling after every {every} events")


class _Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def request(self, method, path, body=None):
        self.conn.request(method, path, body=body)
        resp = self.conn.getresponse()
        data = resp.read()
        return resp, data

    def json(self, method, path, body=None):
        resp, data = self.request(method, path, body)
        return resp.status, (json.loads(data) if data else None), resp

    def close(self):
        self.conn.close()


class HttpServerTest(unittest.TestCase):
    def setUp(self):
        self.store = store_with(RUN1)
        self.server = sl.ProgressServer(self.store, "127.0.0.1", 0)  # ephemeral port
        self.client = _Client(self.server.port)

    def tearDown(self):
        self.client.close()
        self.server.close()

    def test_health(self):
        status, body, resp = self.client.json("GET", "/health")
        self.assertEqual((status, body), (200, {"ok": True}))
        self.assertTrue(resp.getheader("Content-Type").startswith("application/json"))

    def test_progress(self):
        status, body, _ = self.client.json("GET", "/progress")
        self.assertEqual(status, 200)
        self.assertEqual(set(body), {"queries", "progress", "terminated", "settings"})
        self.assertEqual(body["settings"], {})
        self.assertEqual(body["progress"], RUN1)

    def test_progress_since(self):
        status, body, _ = self.client.json("GET", "/progress?since=3")
        self.assertEqual(status, 200)
        self.assertEqual([p["batchId"] for p in body["progress"]], [4, 5])
        status, body, _ = self.client.json("GET", "/progress/?since=-1&cachebuster=1")
        self.assertEqual((status, len(body["progress"])), (200, 6))
        run1 = RUN1[0]["runId"]
        status, body, _ = self.client.json("GET", f"/progress?since=4&runId={run1}")
        self.assertEqual((status, [p["batchId"] for p in body["progress"]]), (200, [5]))

    def test_bad_since_is_400(self):
        for query in ("since=abc", "since=", "since=1.5", "since=-2", "since=1&since=2",
                      "runId=x", "since=1&runId="):
            status, body, resp = self.client.json("GET", f"/progress?{query}")
            self.assertEqual(status, 400, query)
            self.assertIsInstance(body.get("error"), str, query)
            self.assertTrue(resp.getheader("Content-Type").startswith("application/json"))
        status, body, _ = self.client.json("GET", "/progress?since=abc")
        self.assertIn("since", body["error"])

    def test_unknown_path_is_404(self):
        for path in ("/", "/progresss", "/api/v1/progress", "/health/x"):
            status, body, _ = self.client.json("GET", path)
            self.assertEqual(status, 404, path)
            self.assertIn("error", body)

    def test_other_methods_are_405(self):
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            status, body, resp = self.client.json(method, "/progress", body=b'{"x":1}')
            self.assertEqual(status, 405, method)
            self.assertEqual(resp.getheader("Allow"), "GET")
            self.assertIn("error", body)
        resp, data = self.client.request("HEAD", "/health")
        self.assertEqual((resp.status, data), (405, b""))
        # the kept-alive connection still works after the errors
        status, body, _ = self.client.json("GET", "/health")
        self.assertEqual(status, 200)

    def test_a_run_restart_over_http(self):
        status, body, _ = self.client.json("GET", "/progress")
        since = body["progress"][-1]["batchId"]
        for p in RUN2 + RUN3:  # resume, then fresh-checkpoint restart
            self.store.add_progress(p)
        status, body, _ = self.client.json("GET", f"/progress?since={since}")
        self.assertEqual(keys(body["progress"]), keys(RUN2 + RUN3))
        self.assertEqual([q["runId"] for q in body["queries"]],
                         [RUN1[0]["runId"], RUN2[0]["runId"], RUN3[0]["runId"]])
        self.store.query_terminated(RUN3[0]["id"], RUN3[0]["runId"], None)
        status, body, _ = self.client.json("GET", f"/progress?since={body['progress'][-1]['batchId']}")
        self.assertEqual(body["progress"], [])
        self.assertEqual(body["terminated"], [{"id": RUN3[0]["id"], "runId": RUN3[0]["runId"], "exception": None}])

    def test_concurrent_reads_while_writing(self):
        errors = []

        def reader():
            c = _Client(self.server.port)
            try:
                for _ in range(20):
                    status, body, _ = c.json("GET", "/progress?since=0")
                    if status != 200 or not isinstance(body["progress"], list):
                        errors.append(status)
            except Exception as err:  # pragma: no cover - reported below
                errors.append(err)
            finally:
                c.close()

        threads = [threading.Thread(target=reader) for _ in range(4)]
        for t in threads:
            t.start()
        for _ in range(50):
            for p in RUN2:
                self.store.add_progress(p)
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])


class _FakeStreams:
    def __init__(self):
        self.listeners = []

    def addListener(self, listener):  # noqa: N802
        self.listeners.append(listener)


class _FakeSpark:
    def __init__(self):
        self.streams = _FakeStreams()


class AttachTest(unittest.TestCase):
    def test_port_in_use_is_reported_and_does_not_raise(self):
        blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        port = blocker.getsockname()[1]
        try:
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                handle = sl.attach(_FakeSpark(), host="127.0.0.1", port=port)
            self.assertIsNone(handle.server)
            self.assertIsNone(handle.url)
            self.assertIn(f"port {port} is already in use", err.getvalue())
            self.assertIn("keeps running", err.getvalue())
        finally:
            blocker.close()

    def test_attach_serves_without_pyspark_registration(self):
        # pyspark is not needed for the store/server; without it the listener is not
        # registered (reported on stderr) but nothing raises
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            handle = sl.attach(_FakeSpark(), host="127.0.0.1", port=0, capacity=3)
        try:
            self.assertIsNotNone(handle.server)
            self.assertEqual(handle.store.capacity, 3)
            c = _Client(handle.server.port)
            status, body, _ = c.json("GET", "/health")
            c.close()
            self.assertEqual((status, body), (200, {"ok": True}))
            if "pyspark" not in sys.modules:
                self.assertIsNone(handle.listener)
        finally:
            handle.close()

    def test_attach_with_settings_that_are_not_json_serves_none(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            handle = sl.attach(_FakeSpark(), host="127.0.0.1", port=0, settings={"trigger": object()})
        try:
            self.assertEqual(handle.store.snapshot()["settings"], {})
            self.assertIn("not JSON-serialisable", err.getvalue())
        finally:
            handle.close()

    def test_module_does_not_import_pyspark(self):
        with open(sl.__file__, encoding="utf-8") as f:
            head = f.read().split("def _listener_class")[0]
        self.assertNotIn("import pyspark", head)
        self.assertNotIn("from pyspark", head)


class JobConfigTest(unittest.TestCase):
    """Configuration of spark_structured_streaming_logs_processing.py (no Spark needed)."""

    def load(self, argv=(), env=None):
        return job.load_config(list(argv), env or {})

    def expect_exit_2(self, argv=(), env=None):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as cm:
            self.load(argv, env)
        self.assertEqual(cm.exception.code, 2)
        return err.getvalue()

    def test_defaults_are_the_classroom_values(self):
        cfg = self.load()
        self.assertEqual(cfg["bootstrap_servers"], "kafka:9092")
        self.assertEqual(cfg["topic"], "logs")
        self.assertEqual(cfg["starting_offsets"], "latest")
        self.assertEqual(cfg["query"], "activity2")
        self.assertEqual(cfg["query_name"], "LogsProcessor")
        self.assertEqual(cfg["app_name"], "LogsProcessor")
        self.assertEqual(cfg["sink"], "console")
        self.assertIsNone(cfg["trigger"])
        self.assertIsNone(cfg["max_offsets_per_trigger"])
        self.assertIsNone(cfg["min_partitions"])
        self.assertTrue(cfg["listener"])
        self.assertEqual((cfg["listener_host"], cfg["listener_port"]), ("127.0.0.1", 4090))
        self.assertEqual(cfg["additional_term"], "crash")
        self.assertEqual(cfg["watermark"], "10 seconds")
        self.assertTrue(cfg["checkpoint_location"].endswith(os.path.join("sparktop-checkpoints", "activity2")))

    def test_env_then_args_override(self):
        env = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9094", "TRIGGER": "10s", "MAX_OFFSETS_PER_TRIGGER": "5000",
               "MIN_PARTITIONS": "", "QUERY": "activity3", "SPARKTOP_LISTENER": "off", "SINK": "noop",
               "SPARKTOP_LISTENER_PORT": "4190"}
        cfg = self.load([], env)
        self.assertEqual(cfg["bootstrap_servers"], "127.0.0.1:9094")
        self.assertEqual(cfg["trigger"], "10 seconds")
        self.assertEqual(cfg["max_offsets_per_trigger"], 5000)
        self.assertIsNone(cfg["min_partitions"])  # empty = unset
        self.assertEqual((cfg["query"], cfg["sink"], cfg["listener"], cfg["listener_port"]),
                         ("activity3", "noop", False, 4190))
        self.assertTrue(cfg["checkpoint_location"].endswith("activity3"))
        cfg = self.load(["--trigger", "500ms", "--max-offsets-per-trigger", "7", "--listener", "on",
                         "--query", "activity2", "--checkpoint-location", "/tmp/x"], env)
        self.assertEqual((cfg["trigger"], cfg["max_offsets_per_trigger"], cfg["listener"], cfg["query"]),
                         ("500 milliseconds", 7, True, "activity2"))
        self.assertEqual(cfg["checkpoint_location"], "/tmp/x")
        self.assertEqual(self.load(["--trigger", "available-now"])["trigger"], "availableNow")
        self.assertEqual(self.load(["--starting-offsets", ' {"logs": {"0": -2}} '])["starting_offsets"],
                         '{"logs":{"0":-2}}')

    def test_invalid_values_exit_2_with_a_message(self):
        cases = [
            (["--trigger", "soon"], None, "--trigger"),
            ([], {"TRIGGER": "10 parsecs"}, "TRIGGER"),
            (["--max-offsets-per-trigger", "0"], None, "--max-offsets-per-trigger"),
            ([], {"MIN_PARTITIONS": "two"}, "MIN_PARTITIONS"),
            (["--query", "activity9"], None, "--query"),
            (["--sink", "kafka"], None, "--sink"),
            (["--bootstrap-servers", "kafka"], None, "--bootstrap-servers"),
            (["--starting-offsets", "middle"], None, "--starting-offsets"),
            ([], {"SPARKTOP_LISTENER": "maybe"}, "SPARKTOP_LISTENER"),
            (["--listener-port", "99999"], None, "--listener-port"),
            (["--topic", "a b"], None, "--topic"),
            (["--query-name", " "], None, "--query-name"),
        ]
        for argv, env, needle in cases:
            message = self.expect_exit_2(argv, env)
            self.assertIn(needle, message, (argv, env))
            self.assertIn("invalid", message)

    def test_unknown_option_exits_2(self):
        self.expect_exit_2(["--no-such-option"])


if __name__ == "__main__":
    unittest.main()
