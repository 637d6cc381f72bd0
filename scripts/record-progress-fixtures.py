#!/usr/bin/env python3
"""Record real Structured Streaming progress events as test fixtures.

Runs real local Spark queries on the `rate` source (no Kafka needed) with
sparktop_listener attached, records every `event.progress.json` Spark emits
with a plain recording StreamingQueryListener, checks that the sparktop
listener serves the same events over HTTP, and writes:

  test/fixtures/progress/rate-count-run1.json              stateful groupBy count, first run (batch 0..)
  test/fixtures/progress/rate-count-run2-resumed.json       same query restarted on the same checkpoint:
                                                            same id, new runId, batch ids continue
  test/fixtures/progress/rate-count-run3-fresh-checkpoint.json  same name, fresh checkpoint:
                                                            new id, batch ids start again at 0
  test/fixtures/progress/rate-window-watermark.json        windowed count with a watermark (eventTime)
  test/fixtures/progress/lifecycle.json                    started / terminated events of all runs,
                                                            including one query that failed
  test/fixtures/progress/http-progress.json                the listener's real GET /progress response
  test/fixtures/progress/meta.json                         Spark/PySpark versions, time of recording

Each progress file is a JSON array of Spark's own progress objects, in the
order they were emitted (parsed from event.progress.json, nothing edited).

Usage (needs pyspark >= 3.4 and Java; takes about a minute):
  /tmp/pyspark-venv/bin/python scripts/record-progress-fixtures.py \\
      [--out test/fixtures/progress] [--listener-port 4190] [--ui-port 4140] [--batches 6]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "spark-apps"))

import sparktop_listener  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "test", "fixtures", "progress"))
    ap.add_argument("--listener-port", type=int, default=4190)
    ap.add_argument("--ui-port", type=int, default=4140)
    ap.add_argument("--batches", type=int, default=6, help="batches to record for the first run")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for each run")
    args = ap.parse_args()

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.streaming import StreamingQueryListener

    lock = threading.Lock()
    progress: list = []  # (runId, parsed progress)
    lifecycle: list = []

    class Recorder(StreamingQueryListener):
        def onQueryStarted(self, event):
            with lock:
                lifecycle.append({"event": "started", "id": str(event.id), "runId": str(event.runId),
                                  "name": event.name, "timestamp": event.timestamp})

        def onQueryProgress(self, event):
            text = event.progress.json  # Spark's own compact JSON
            with lock:
                progress.append(json.loads(text))

        def onQueryIdle(self, event):
            pass

        def onQueryTerminated(self, event):
            with lock:
                lifecycle.append({"event": "terminated", "id": str(event.id), "runId": str(event.runId),
                                  "exception": event.exception})

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("sparktop-record-progress-fixtures")
        .config("spark.driver.memory", "512m")
        .config("spark.ui.port", str(args.ui_port))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.streaming.noDataMicroBatches.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    handle = sparktop_listener.attach(spark, host="127.0.0.1", port=args.listener_port)
    if handle.server is None:
        print(f"cannot serve the listener on port {args.listener_port}", file=sys.stderr)
        return 1
    spark.streams.addListener(Recorder())

    work = tempfile.mkdtemp(prefix="sparktop-fixtures-")
    out: dict = {}

    def run_events(run_id: str) -> list:
        with lock:
            return [p for p in progress if p["runId"] == run_id]

    def run_query(df, name, ckpt, mode, want, trigger="1 second", sink="noop"):
        q = (df.writeStream.queryName(name).outputMode(mode).format(sink)
             .option("checkpointLocation", ckpt).trigger(processingTime=trigger).start())
        deadline = time.time() + args.timeout
        while time.time() < deadline and len(run_events(str(q.runId))) < want and q.isActive:
            time.sleep(0.2)
        q.stop()
        got = run_events(str(q.runId))
        if len(got) < want:
            raise SystemExit(f"{name}: only {len(got)} progress events within {args.timeout}s (wanted {want})")
        return q, got

    rate = (spark.readStream.format("rate").option("rowsPerSecond", 20).option("numPartitions", 1).load())
    counts = rate.groupBy((F.col("value") % 4).alias("bucket")).count()
    ckpt_a = os.path.join(work, "rate_count")

    q1, out["rate-count-run1.json"] = run_query(counts, "rate_count", ckpt_a, "complete", args.batches)
    q2, out["rate-count-run2-resumed.json"] = run_query(counts, "rate_count", ckpt_a, "complete", 3)
    q3, out["rate-count-run3-fresh-checkpoint.json"] = run_query(
        counts, "rate_count", os.path.join(work, "rate_count_fresh"), "complete", 3)
    assert q1.id == q2.id and q1.runId != q2.runId, "resume should keep the id and change the runId"
    assert q3.id != q1.id, "a fresh checkpoint should give a new id"

    windowed = (rate.withWatermark("timestamp", "2 seconds")
                .groupBy(F.window("timestamp", "2 seconds"), (F.col("value") % 3).alias("k")).count())
    _, out["rate-window-watermark.json"] = run_query(
        windowed, "rate_window", os.path.join(work, "rate_window"), "update", 5)

    # a query that fails, for a terminated event with an exception
    def fail_in_batch_1(df, batch_id):
        if batch_id >= 1:
            raise RuntimeError("deliberate failure recorded by record-progress-fixtures.py")

    qf = (rate.writeStream.queryName("failing").foreachBatch(fail_in_batch_1)
          .option("checkpointLocation", os.path.join(work, "failing")).trigger(processingTime="1 second").start())
    try:
        qf.awaitTermination(args.timeout)
    except Exception:
        pass
    if qf.isActive:
        qf.stop()

    # the sparktop listener must serve exactly what Spark emitted
    time.sleep(1.0)  # listener events are delivered asynchronously
    with urllib.request.urlopen(f"{handle.url}/progress", timeout=10) as resp:
        http_body = json.loads(resp.read().decode("utf-8"))
    with lock:
        recorded = [(p["runId"], p["batchId"]) for p in progress]
        life = list(lifecycle)
    served = [(p["runId"], p["batchId"]) for p in http_body["progress"]]
    if served != recorded:
        raise SystemExit(f"listener served {len(served)} events, Spark emitted {len(recorded)}: mismatch")
    if {q["runId"] for q in http_body["queries"]} != {e["runId"] for e in life}:
        raise SystemExit("listener's queries differ from the recorded query starts")
    terminated = {t["runId"]: t["exception"] for t in http_body["terminated"]}
    if str(qf.runId) not in terminated or not terminated[str(qf.runId)]:
        raise SystemExit("listener did not report the failed query's exception")

    out["lifecycle.json"] = life
    out["http-progress.json"] = http_body
    out["meta.json"] = {
        "recordedBy": "scripts/record-progress-fixtures.py",
        "recordedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "sparkVersion": spark.version,
        "master": spark.sparkContext.master,
        "python": sys.version.split()[0],
        "files": sorted(k for k in out if k != "meta.json"),
    }

    handle.close(spark)
    spark.stop()
    shutil.rmtree(work, ignore_errors=True)

    os.makedirs(args.out, exist_ok=True)
    for name, data in out.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
        n = len(data) if isinstance(data, list) else len(data.get("progress", data))
        print(f"wrote {os.path.relpath(os.path.join(args.out, name), ROOT)} ({n} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
