"""Log processing with Spark Structured Streaming: Kafka topic `logs` -> filter -> stateful count.

The classroom job, runnable unchanged in Docker and in sparktop's local lab:

    spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.13:<spark version> \\
        spark-apps/spark_structured_streaming_logs_processing.py [options]

Queries (QUERY / --query):
  activity2 (default)  records whose content contains "vulnerability" (case-insensitive) with
                       severity High, counted per source_ip; complete output mode.
  activity3            records whose content contains ADDITIONAL_TERM (case-insensitive) with
                       severity High or Critical, counted per user_id in 10-second event-time
                       windows with a watermark; only windows with count > 2; update output mode.

Every setting comes from an environment variable; the command-line option overrides it.
An empty environment variable counts as unset.  Invalid values: message on stderr, exit code 2.

  env                       option                      default
  KAFKA_BOOTSTRAP_SERVERS   --bootstrap-servers         kafka:9092 (the classroom value)
  KAFKA_TOPIC               --topic                     logs
  STARTING_OFFSETS          --starting-offsets          latest  (earliest | latest | JSON; only
                                                                 used when no checkpoint exists)
  MAX_OFFSETS_PER_TRIGGER   --max-offsets-per-trigger   unset   (positive integer)
  MIN_PARTITIONS            --min-partitions            unset   (positive integer)
  FAIL_ON_DATA_LOSS         --fail-on-data-loss         true    (Kafka source failOnDataLoss)
  TRIGGER                   --trigger                   unset = Spark's default (next batch as
                                                        soon as the previous one is done);
                                                        "10 seconds", "500ms", "1 minute", or
                                                        "availableNow"
  CHECKPOINT_LOCATION       --checkpoint-location       <tmp>/sparktop-checkpoints/<query>
  SINK                      --sink                      console  (console | noop)
  QUERY                     --query                     activity2  (activity2 | activity3)
  QUERY_NAME                --query-name                LogsProcessor  (streaming query name)
  APP_NAME                  --app-name                  LogsProcessor  (Spark application name)
  ADDITIONAL_TERM           --additional-term           crash   (activity3)
  WATERMARK                 --watermark                 10 seconds  (activity3 watermark delay)
  SPARKTOP_LISTENER         --listener                  on   (0/off/false/no disables)
  SPARKTOP_LISTENER_HOST    --listener-host             127.0.0.1
  SPARKTOP_LISTENER_PORT    --listener-port             4090

The sparktop progress listener (sparktop_listener.py, next to this file, or shipped with
--py-files) serves the query's progress at http://<listener host>:<port>/progress.

On start one line "sparktop-job: effective configuration {json}" goes to stdout.
SIGTERM or SIGINT stops the query gracefully (exit 0); a failed query exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import tempfile
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple

LOG_PREFIX = "sparktop-job:"

QUERIES = ("activity2", "activity3")
SINKS = ("console", "noop")
WINDOW_DURATION = "10 seconds"
ACTIVITY3_MIN_COUNT = 2  # output windows with count > 2

# name, env variable, option, default, help
SETTINGS: List[Tuple[str, str, str, Optional[str], str]] = [
    ("bootstrap_servers", "KAFKA_BOOTSTRAP_SERVERS", "--bootstrap-servers", "kafka:9092",
     "Kafka bootstrap servers, host:port[,host:port...]"),
    ("topic", "KAFKA_TOPIC", "--topic", "logs", "Kafka topic to read"),
    ("starting_offsets", "STARTING_OFFSETS", "--starting-offsets", "latest",
     "earliest | latest | per-partition JSON (only when the checkpoint is new)"),
    ("max_offsets_per_trigger", "MAX_OFFSETS_PER_TRIGGER", "--max-offsets-per-trigger", None,
     "maxOffsetsPerTrigger (positive integer; empty = unset)"),
    ("min_partitions", "MIN_PARTITIONS", "--min-partitions", None,
     "minPartitions (positive integer; empty = unset)"),
    ("fail_on_data_loss", "FAIL_ON_DATA_LOSS", "--fail-on-data-loss", "true",
     "failOnDataLoss of the Kafka source (true | false)"),
    ("trigger", "TRIGGER", "--trigger", None,
     "processing-time trigger, e.g. '10 seconds', '500ms', or 'availableNow'; empty = as fast as possible"),
    ("checkpoint_location", "CHECKPOINT_LOCATION", "--checkpoint-location", None,
     "checkpoint directory (default <tmp>/sparktop-checkpoints/<query>)"),
    ("sink", "SINK", "--sink", "console", "console | noop"),
    ("query", "QUERY", "--query", "activity2", "activity2 | activity3"),
    ("query_name", "QUERY_NAME", "--query-name", "LogsProcessor", "streaming query name"),
    ("app_name", "APP_NAME", "--app-name", "LogsProcessor", "Spark application name"),
    ("additional_term", "ADDITIONAL_TERM", "--additional-term", "crash",
     "term searched by activity3 (case-insensitive)"),
    ("watermark", "WATERMARK", "--watermark", "10 seconds", "activity3 watermark delay"),
    ("listener", "SPARKTOP_LISTENER", "--listener", "on", "sparktop progress listener: on | off"),
    ("listener_host", "SPARKTOP_LISTENER_HOST", "--listener-host", "127.0.0.1",
     "address the progress listener binds"),
    ("listener_port", "SPARKTOP_LISTENER_PORT", "--listener-port", "4090",
     "port of the progress listener"),
]

_UNITS = {
    "ms": "milliseconds", "msec": "milliseconds", "msecs": "milliseconds",
    "millisecond": "milliseconds", "milliseconds": "milliseconds",
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds", "seconds": "seconds",
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*([A-Za-z]+)\s*$")
_SERVER_RE = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$")
_TOPIC_RE = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
_TRUE = ("1", "true", "on", "yes")
_FALSE = ("0", "false", "off", "no")


class ConfigError(ValueError):
    pass


def _duration(value: str) -> str:
    """'10s' / '10 seconds' / '500ms' -> Spark interval string '10 seconds' / '500 milliseconds'."""
    m = _DURATION_RE.match(value)
    unit = _UNITS.get(m.group(2).lower()) if m else None
    if not m or not unit:
        raise ConfigError(
            f"{value!r} is not a duration; use '<integer> <unit>' with unit "
            "milliseconds|seconds|minutes|hours|days (or ms|s|m|h|d), e.g. '10 seconds'"
        )
    return f"{int(m.group(1))} {unit}"


def _positive_int(value: str) -> int:
    try:
        n = int(value.strip(), 10)
    except ValueError:
        raise ConfigError(f"{value!r} is not an integer") from None
    if n < 1:
        raise ConfigError(f"{value!r} must be a positive integer")
    return n


def _bool(value: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ConfigError(f"{value!r} is not a boolean; use one of {'/'.join(_TRUE)} or {'/'.join(_FALSE)}")


def _validate(name: str, value: Optional[str], cfg: Dict[str, Any]) -> Any:
    if value is None:
        return None
    if name == "bootstrap_servers":
        servers = [s.strip() for s in value.split(",")]
        if not value.strip() or any(not s for s in servers):
            raise ConfigError(f"{value!r}: expected host:port[,host:port...]")
        for s in servers:
            m = _SERVER_RE.match(s)
            if not m or not 1 <= int(m.group(2)) <= 65535:
                raise ConfigError(f"{s!r} is not host:port (port 1-65535)")
        return ",".join(servers)
    if name == "topic":
        if not _TOPIC_RE.match(value) or value in (".", ".."):
            raise ConfigError(f"{value!r} is not a valid Kafka topic name ([A-Za-z0-9._-], 1-249 chars)")
        return value
    if name == "starting_offsets":
        v = value.strip()
        if v.lower() in ("earliest", "latest"):
            return v.lower()
        try:
            parsed = json.loads(v)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or not parsed:
            raise ConfigError(
                f"{value!r}: use earliest, latest, or JSON like "
                '{"logs":{"0":23,"1":-2}} (-2 = earliest, -1 = latest)'
            )
        return json.dumps(parsed, separators=(",", ":"))
    if name in ("max_offsets_per_trigger", "min_partitions"):
        return _positive_int(value)
    if name in ("fail_on_data_loss", "listener"):
        return _bool(value)
    if name == "trigger":
        v = value.strip()
        if v.replace("-", "").replace("_", "").lower() == "availablenow":
            return "availableNow"
        return _duration(v)
    if name == "watermark":
        return _duration(value)
    if name == "sink":
        if value not in SINKS:
            raise ConfigError(f"{value!r}: choose one of {', '.join(SINKS)}")
        return value
    if name == "query":
        if value not in QUERIES:
            raise ConfigError(f"{value!r}: choose one of {', '.join(QUERIES)}")
        return value
    if name == "listener_port":
        try:
            port = int(value.strip(), 10)
        except ValueError:
            raise ConfigError(f"{value!r} is not a port number") from None
        if not 0 <= port <= 65535:
            raise ConfigError(f"{value!r} is not a port number (0-65535)")
        return port
    # query_name, app_name, additional_term, listener_host, checkpoint_location
    if not value.strip():
        raise ConfigError("must not be empty")
    return value if name == "additional_term" else value.strip()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "spark_structured_streaming_logs_processing.py",
        usage="%(prog)s [--query activity2|activity3] [--OPTION VALUE ...]",
        description="Kafka 'logs' -> Spark Structured Streaming log processing (Activity 2 / 3). "
        "Each option overrides its environment variable; an empty variable counts as unset.",
    )
    for name, env, opt, default, help_text in SETTINGS:
        parser.add_argument(
            opt, dest=name, default=None, metavar=env,
            help=f"{help_text} [env {env}; default: {default if default is not None else 'unset'}]",
        )
    return parser


def load_config(argv: Optional[List[str]] = None, environ: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """Parse args over env over defaults; on an invalid value print to stderr and exit 2."""
    environ = dict(os.environ if environ is None else environ)
    parser = build_parser()
    args = parser.parse_args(argv)
    cfg: Dict[str, Any] = {}
    for name, env, opt, default, _help in SETTINGS:
        cli = getattr(args, name)
        if cli is not None:
            raw, source = cli, opt
        elif environ.get(env, "").strip() != "":
            raw, source = environ[env], f"environment variable {env}"
        else:
            raw, source = default, f"default of {env}"
        try:
            cfg[name] = _validate(name, raw, cfg)
        except ConfigError as err:
            print(f"{parser.prog}: error: invalid {source}: {err}", file=sys.stderr, flush=True)
            sys.exit(2)
    if cfg["checkpoint_location"] is None:
        cfg["checkpoint_location"] = os.path.join(tempfile.gettempdir(), "sparktop-checkpoints", cfg["query"])
    return cfg


# --------------------------------------------------------------------------- the queries
def log_schema():
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    return StructType([
        StructField("timestamp", LongType(), True),  # epoch milliseconds
        StructField("status", StringType(), True),
        StructField("severity", StringType(), True),
        StructField("source_ip", StringType(), True),
        StructField("user_id", StringType(), True),
        StructField("content", StringType(), True),
    ])


def parse_logs(raw):
    """Kafka rows (binary `value`) -> one column per log field, plus event_time (timestamp)."""
    from pyspark.sql import functions as F

    return (
        raw.select(F.from_json(F.col("value").cast("string"), log_schema()).alias("log"))
        .select("log.*")
        .withColumn("event_time", F.expr("timestamp_millis(`timestamp`)"))
    )


def activity2(logs):
    """'vulnerability' (case-insensitive) with severity High, counted per source_ip."""
    from pyspark.sql import functions as F

    return (
        logs.filter(F.lower(F.col("content")).contains("vulnerability") & (F.col("severity") == "High"))
        .groupBy("source_ip")
        .count()
    )


def activity3(logs, term: str, watermark: str):
    """term (case-insensitive) with severity High/Critical, per user_id in 10 s windows, count > 2."""
    from pyspark.sql import functions as F

    # Note: Spark's optimizer pushes filters that do not use the event-time column
    # below the watermark, so the watermark follows the *matching* records only
    # (checked with Spark 4.0.4): windows close when later matching records arrive.
    return (
        logs.filter(
            F.lower(F.col("content")).contains(term.lower())
            & F.col("severity").isin("High", "Critical")
            & F.col("event_time").isNotNull()
        )
        .withWatermark("event_time", watermark)
        .groupBy(F.window("event_time", WINDOW_DURATION), F.col("user_id"))
        .count()
        .filter(F.col("count") > ACTIVITY3_MIN_COUNT)
        .select(
            F.col("window.start").alias("window_start"),
            F.col("window.end").alias("window_end"),
            "user_id",
            "count",
        )
    )


OUTPUT_MODES = {"activity2": "complete", "activity3": "update"}


def build_stream(spark, cfg: Dict[str, Any]):
    """The Kafka source DataFrame with the configured options."""
    reader = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", cfg["bootstrap_servers"])
        .option("subscribe", cfg["topic"])
        .option("startingOffsets", cfg["starting_offsets"])
        .option("failOnDataLoss", "true" if cfg["fail_on_data_loss"] else "false")
    )
    if cfg["max_offsets_per_trigger"] is not None:
        reader = reader.option("maxOffsetsPerTrigger", str(cfg["max_offsets_per_trigger"]))
    if cfg["min_partitions"] is not None:
        reader = reader.option("minPartitions", str(cfg["min_partitions"]))
    for name, value in kafka_client_options(spark).items():
        reader = reader.option(name, value)
    return reader.load()


KAFKA_CONF_PREFIX = "spark.sparktop.kafka."


def kafka_client_options(spark) -> Dict[str, str]:
    """The Kafka client options (login included) the lab passes as spark.sparktop.kafka.<name> confs.

    A Kafka source takes a client option only as its own kafka.<name> option; the lab keeps the
    values in its 0600 spark-defaults.conf rather than on a command line every user can read.
    """
    return {"kafka." + k[len(KAFKA_CONF_PREFIX):]: v
            for k, v in spark.sparkContext.getConf().getAll() if k.startswith(KAFKA_CONF_PREFIX)}


def transform(logs, cfg: Dict[str, Any]):
    if cfg["query"] == "activity3":
        return activity3(logs, cfg["additional_term"], cfg["watermark"])
    return activity2(logs)


def start_query(result, cfg: Dict[str, Any]):
    writer = (
        result.writeStream.queryName(cfg["query_name"])
        .outputMode(OUTPUT_MODES[cfg["query"]])
        .format(cfg["sink"])
        .option("checkpointLocation", cfg["checkpoint_location"])
    )
    if cfg["sink"] == "console":
        writer = writer.option("truncate", "false")
    if cfg["trigger"] == "availableNow":
        writer = writer.trigger(availableNow=True)
    elif cfg["trigger"]:
        writer = writer.trigger(processingTime=cfg["trigger"])
    return writer.start()


# --------------------------------------------------------------------------- running
def _err(message: str) -> None:
    print(f"{LOG_PREFIX} {message}", file=sys.stderr, flush=True)


def import_listener_module():
    """sparktop_listener sits next to this file; --py-files puts it on sys.path too."""
    try:
        import sparktop_listener  # type: ignore

        return sparktop_listener
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    try:
        import sparktop_listener  # type: ignore

        return sparktop_listener
    except ImportError as err:
        _err(f"sparktop_listener module not found next to {__file__} nor on sys.path ({err}); "
             "running without the progress endpoint (ship it with --py-files or set SPARKTOP_LISTENER=off)")
        return None


def _is_resume(checkpoint: str) -> Optional[bool]:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", checkpoint) and not checkpoint.startswith("file://"):
        return None  # remote file system: unknown from here
    path = checkpoint[len("file://"):] if checkpoint.startswith("file://") else checkpoint
    try:
        # Spark resumes (and ignores startingOffsets) once a batch was planned: offsets/<batchId>
        return any(name.isdigit() for name in os.listdir(os.path.join(path, "offsets")))
    except OSError:
        return False


def _kafka_package_hint(spark) -> str:
    try:
        scala = spark.sparkContext._jvm.scala.util.Properties.versionNumberString()
        scala = ".".join(scala.split(".")[:2])
    except Exception:
        scala = "2.13" if spark.version.startswith("4") else "2.12"
    return f"org.apache.spark:spark-sql-kafka-0-10_{scala}:{spark.version}"


def _conf(spark, key: str) -> Optional[str]:
    try:
        return spark.conf.get(key)  # effective value, including Spark's default
    except Exception:
        return None


def _listener_state(cfg: Dict[str, Any], handle: Any) -> str:
    if not cfg["listener"]:
        return "off"
    if handle is None:
        return "unavailable (module not found)"
    if not handle.url:
        return f"unavailable (cannot serve on {cfg['listener_host']}:{cfg['listener_port']})"
    return f"{handle.url}/progress"


def run(cfg: Dict[str, Any]) -> int:
    stop_requested = threading.Event()

    def on_signal(signum, _frame):
        name = signal.Signals(signum).name
        if stop_requested.is_set():
            _err(f"received {name} again; exiting without waiting")
            os._exit(128 + signum)
        _err(f"received {name}; stopping the query gracefully")
        stop_requested.set()

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName(cfg["app_name"]).getOrCreate()
    # after getOrCreate: SparkContext installs its own SIGINT handler (cancel jobs +
    # KeyboardInterrupt), which would break out of awaitTermination mid-call
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # streaming gauges in Spark's metrics system (used by sparktop without the listener)
    if spark.conf.get("spark.sql.streaming.metricsEnabled", None) is None:
        spark.conf.set("spark.sql.streaming.metricsEnabled", "true")

    handle = None
    if cfg["listener"]:
        module = import_listener_module()
        if module is not None:
            # The trigger and the batch cap are options of the query: Spark shows them nowhere.
            settings = {
                "trigger": cfg["trigger"] or "default",
                "maxOffsetsPerTrigger": cfg["max_offsets_per_trigger"],
                "minPartitions": cfg["min_partitions"],
            }
            handle = module.attach(spark, host=cfg["listener_host"], port=cfg["listener_port"], settings=settings)

    try:
        raw = build_stream(spark, cfg)
    except Exception as err:
        text = str(err)
        if "kafka" in text.lower() and ("DATA_SOURCE_NOT_FOUND" in text or "Failed to find" in text):
            _err("the Kafka connector is not on the classpath; submit with "
                 f"--packages {_kafka_package_hint(spark)} (or --jars with that jar and its dependencies)")
        else:
            _err(f"cannot create the Kafka source: {text}")
        spark.stop()
        return 1
    result = transform(parse_logs(raw), cfg)

    effective = {
        "query": cfg["query"],
        "queryName": cfg["query_name"],
        "appName": cfg["app_name"],
        "appId": spark.sparkContext.applicationId,
        "master": spark.sparkContext.master,
        "sparkVersion": spark.version,
        "bootstrapServers": cfg["bootstrap_servers"],
        "topic": cfg["topic"],
        "startingOffsets": cfg["starting_offsets"],
        "maxOffsetsPerTrigger": cfg["max_offsets_per_trigger"],
        "minPartitions": cfg["min_partitions"],
        "failOnDataLoss": cfg["fail_on_data_loss"],
        "trigger": cfg["trigger"] or "default",
        "outputMode": OUTPUT_MODES[cfg["query"]],
        "sink": cfg["sink"],
        "checkpointLocation": cfg["checkpoint_location"],
        "resumeFromCheckpoint": _is_resume(cfg["checkpoint_location"]),
        "shufflePartitions": _conf(spark, "spark.sql.shuffle.partitions"),
        "listener": _listener_state(cfg, handle),
    }
    if cfg["query"] == "activity3":
        effective["additionalTerm"] = cfg["additional_term"]
        effective["watermark"] = cfg["watermark"]
        effective["window"] = WINDOW_DURATION
    print(f"{LOG_PREFIX} effective configuration {json.dumps(effective, separators=(',', ':'))}", flush=True)

    try:
        query = start_query(result, cfg)
    except Exception as err:  # e.g. a query with this name is already active, bad checkpoint
        _err(f"cannot start query {cfg['query_name']}: {err}")
        if handle is not None:
            handle.close(spark)
        spark.stop()
        return 1
    code = 0
    try:
        while True:
            if stop_requested.is_set():
                query.stop()
                break
            if query.awaitTermination(1):
                break
        exc = query.exception()
        if exc is not None:
            _err(f"query {cfg['query_name']} failed: {exc}")
            code = 1
    except Exception as err:  # StreamingQueryException from awaitTermination
        _err(f"query {cfg['query_name']} failed: {err}")
        code = 1
    finally:
        try:
            if handle is not None:
                handle.close(spark)
        finally:
            spark.stop()
    if code == 0:
        _err(f"query {cfg['query_name']} stopped")
    return code


def main(argv: Optional[List[str]] = None) -> int:
    cfg = load_config(argv)
    return run(cfg)


if __name__ == "__main__":
    sys.exit(main())
