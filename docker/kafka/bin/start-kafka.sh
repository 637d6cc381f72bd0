#!/bin/sh
# The broker's entry point: server.properties from the KAFKA_* environment, the storage formatted
# once with CLUSTER_ID (a restarted container keeps its data), then Kafka in the foreground.
set -eu
conf=/opt/kafka/config/server.properties
data=/var/lib/kafka/data
mkdir -p "$data"
echo "log.dirs=$data" > "$conf"
env | grep '^KAFKA_' | grep -v -e '^KAFKA_HEAP_OPTS=' -e '^KAFKA_OPTS=' -e '^KAFKA_TOOL_HEAP_OPTS=' | sort |
  while IFS='=' read -r name value; do
    key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
    printf '%s=%s\n' "$key" "$value" >> "$conf"
  done
if [ ! -f "$data/meta.properties" ]; then
  /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool format -t "${CLUSTER_ID:?CLUSTER_ID is required}" -c "$conf"
fi
exec java ${KAFKA_HEAP_OPTS} -XX:+UseG1GC -Djava.awt.headless=true ${KAFKA_OPTS:-} \
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp '/opt/kafka/libs/*' kafka.Kafka "$conf"
