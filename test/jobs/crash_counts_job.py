"""An independent Structured Streaming job for sparktop's end-to-end tests.

It knows nothing of sparktop (imports nothing of it): windowed counts of severe log records
("crashes": severity High or Critical) per user, with a watermark, written by a foreachBatch sink.
sparktop attaches to it only through the spark-submit options `sparktop attach` prints.

    spark-submit [--jars kafka-connector-jars] crash_counts_job.py \
        --bootstrap-servers 127.0.0.1:9094 --topic logs --checkpoint DIR [--trigger "2 seconds"] \
        [--max-offsets-per-trigger N] [--query-name crash_counts] [--app-name CrashCounts]
        [--second-query severity_counts]   (a second streaming query in the same application)

SIGTERM/SIGINT stop the query gracefully.
"""

import argparse
import signal
import sys
import threading


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--bootstrap-servers", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--trigger", default="2 seconds")
    p.add_argument("--max-offsets-per-trigger", type=int, default=None)
    p.add_argument("--query-name", default="crash_counts")
    p.add_argument("--app-name", default="CrashCounts")
    p.add_argument("--starting-offsets", default="latest")
    p.add_argument("--second-query", default=None)
    args = p.parse_args(argv)

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    spark = SparkSession.builder.appName(args.app_name).getOrCreate()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    schema = StructType([
        StructField("timestamp", LongType()),
        StructField("severity", StringType()),
        StructField("user_id", StringType()),
    ])
    reader = (spark.readStream.format("kafka")
              .option("kafka.bootstrap.servers", args.bootstrap_servers)
              .option("subscribe", args.topic)
              .option("startingOffsets", args.starting_offsets)
              .option("failOnDataLoss", "false"))
    if args.max_offsets_per_trigger:
        reader = reader.option("maxOffsetsPerTrigger", str(args.max_offsets_per_trigger))
    # The lines `sparktop attach --lab` prints: the lab's Kafka login, from the lab's properties file.
    for k, v in spark.sparkContext.getConf().getAll():
        if k.startswith("spark.sparktop.kafka."):
            reader = reader.option("kafka." + k[len("spark.sparktop.kafka."):], v)
    logs = (reader.load()
            .select(F.from_json(F.col("value").cast("string"), schema).alias("r"))
            .select((F.col("r.timestamp") / 1000).cast("timestamp").alias("ts"), "r.severity", "r.user_id"))
    crashes = (logs.where(F.col("severity").isin("High", "Critical"))
               .withWatermark("ts", "30 seconds")
               .groupBy(F.window("ts", "10 seconds"), "user_id")
               .count())

    def write(batch, batch_id):
        rows = batch.count()
        print(f"crash_counts batch {batch_id}: {rows} window rows", flush=True)

    query = (crashes.writeStream.outputMode("update").foreachBatch(write)
             .option("checkpointLocation", args.checkpoint)
             .trigger(processingTime=args.trigger)
             .queryName(args.query_name)
             .start())
    queries = [query]
    if args.second_query:
        def write_counts(batch, batch_id):
            print(f"{args.second_query} batch {batch_id}: {batch.count()} severities", flush=True)

        queries.append(logs.groupBy("severity").count().writeStream.outputMode("complete")
                       .foreachBatch(write_counts)
                       .option("checkpointLocation", args.checkpoint.rstrip("/") + "-second")
                       .trigger(processingTime=args.trigger)
                       .queryName(args.second_query)
                       .start())
    while not stop.is_set() and all(q.isActive for q in queries):
        query.awaitTermination(1)
    for q in queries:
        if q.isActive:
            q.stop()
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
