import java.util.concurrent.TimeoutException;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.window;

/**
 * The same independent job as crash_counts_job.py, in Java: sparktop's end-to-end tests compile it
 * against pyspark's jars and submit it with only the options `sparktop attach` prints.
 * Arguments: bootstrap-servers topic checkpoint-dir.
 */
public final class CrashCountsJob {
  public static void main(String[] args) throws TimeoutException, Exception {
    SparkSession spark = SparkSession.builder().appName("CrashCountsJava").getOrCreate();
    DataStreamReader reader = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", args[0])
        .option("subscribe", args[1])
        .option("startingOffsets", "latest")
        .option("failOnDataLoss", "false");
    // The lines `sparktop attach --lab` prints: the lab's Kafka login, from the lab's properties file.
    for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAllWithPrefix("spark.sparktop.kafka.")) {
      reader = reader.option("kafka." + kv._1(), kv._2());
    }
    Dataset<Row> logs = reader.load()
        .selectExpr("CAST(value AS STRING) AS v")
        .select(
            get_json_object(col("v"), "$.user_id").alias("user_id"),
            get_json_object(col("v"), "$.severity").alias("severity"),
            (get_json_object(col("v"), "$.timestamp").cast("long").divide(1000)).cast("timestamp").alias("ts"));
    Dataset<Row> crashes = logs.where(col("severity").isin("High", "Critical"))
        .withWatermark("ts", "30 seconds")
        .groupBy(window(col("ts"), "10 seconds"), col("user_id"))
        .count();
    StreamingQuery query = crashes.writeStream().outputMode("update").format("console")
        .option("numRows", "3")
        .option("checkpointLocation", args[2])
        .trigger(Trigger.ProcessingTime("2 seconds"))
        .queryName("crash_counts_java")
        .start();
    query.awaitTermination();
  }
}
