/** The flag sections of the help: the global help shows all, a command's `--help` the ones it takes. */

export type HelpSection = 'watch' | 'lab' | 'resources' | 'generator';

export const HELP_SECTIONS: Record<HelpSection, string> = {
  watch: `  Watch flags (monitor, status, check, sweep; env SPARKTOP_KAFKA, SPARKTOP_SPARK_UI, …; or sparktop.config.json)
    --kafka HOST:PORT  --topic T  --group G (consumer-group lag)  --spark-ui URL  --spark-master URL
    --progress-url URL  --refresh 1s  --target-batch 20s  --config FILE  --no-color  --ascii
    --kafka-config FILE  Kafka client properties (security.protocol, sasl.mechanism, sasl.jaas.config;
                      PLAIN or SCRAM, TLS): a Kafka with a login; the local lab's own is used by itself
    --checkpoint DIR  the query's checkpoint folder (read only): Spark's committed offsets, so lag
                      is known without the progress listener
    --app ID|NAME     which of the master's running applications to watch (its driver UI is found on
                      --spark-ui's host, ports from 4040 up); default: the one --spark-ui serves
    --query-name NAME|ID  which streaming query of the application to show (default: the first)
    --target docker|local   (monitor) which lab the hotkeys act on; default: the one that is running
    --threshold name=value  (repeatable; also replay, report) an advisor threshold, e.g. gcRatio=0.2
                            skew.severe=4 raiseAfter=5; config file: "advisor"; names in the README`,
  lab: `  Lab flags (lab up; ports also for down/status/submit)
    --partitions N        partitions of the topic (2)        --workers N        Spark workers (1)
    --worker-cores N      cores per worker (all)             --worker-memory M  memory per worker (e.g. 4g)
    --generators N        load generators (1)                --rps N            records/s per generator (10000)
    --query Q             activity2 | activity3              --starting-offsets latest|earliest
    --topic T             input topic (logs)                 --cache-dir DIR    ($XDG_CACHE_HOME/sparktop)
    --python PY           Python for the pyspark venv (python3)
    --kafka-port --kafka-controller-port --master-port --master-ui-port --worker-ui-port
    --driver-ui-port --listener-port    (9094 9093 7077 8080 8081 4040 4090; env SPARKTOP_<NAME>_PORT)
    lab down --purge      also delete Kafka data and Spark checkpoints
    lab status --json     machine-readable          lab logs <component> [--lines N]`,
  resources: `  Resource flags (lab up, submit, sweep lists)
    --executor-cores N  --executor-memory M  --total-executor-cores N  --num-executors N
    --driver-memory M  --shuffle-partitions N  --max-offsets-per-trigger N  --trigger 10s
    --conf spark.key=value (repeatable)`,
  generator: `  Generator flags (gen; env KAFKA_BROKER KAFKA_TOPIC TARGET_RPS ADDITIONAL_TERM ADDITIONAL_TERM_RATE)
    --kafka HOST:PORT  --topic T  --rps N (--target-rps)  --additional-term W  --additional-term-rate N
    --kafka-config FILE (Kafka client properties: a login; wire: SASL_PLAINTEXT PLAIN, kafkajs also SCRAM, TLS)
    --acks -1|0|1  --stats-file F  --control-file F  --partition N (every record to partition N: a hot partition)
    --producer kafkajs|wire (the client that sends: kafkajs's producer, or sparktop's own Produce requests)
    --seed N (the same records, timestamps aside, on every run with that seed)
    --threads N|auto (producing threads: N, or one per 200 000/s up to the cores; 1)`,
};

export const SECTION_ORDER: readonly HelpSection[] = ['watch', 'lab', 'resources', 'generator'];
