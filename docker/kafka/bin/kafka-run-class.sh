#!/bin/sh
# kafka-run-class.sh CLASS [ARGS…]: a Kafka class with the image's jars, as Kafka's own script does.
exec java ${KAFKA_TOOL_HEAP_OPTS:--Xmx256m} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.properties -cp '/opt/kafka/libs/*' "$@"
