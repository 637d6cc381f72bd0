#!/bin/sh
# The command-line tools under their usual names (kafka-topics.sh …): each a link to this script.
case "$(basename "$0")" in
  kafka-topics.sh) class=org.apache.kafka.tools.TopicCommand ;;
  kafka-broker-api-versions.sh) class=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
  kafka-get-offsets.sh) class=org.apache.kafka.tools.GetOffsetShell ;;
  kafka-consumer-groups.sh) class=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  kafka-console-consumer.sh) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  kafka-console-producer.sh) class=org.apache.kafka.tools.ConsoleProducer ;;
  kafka-producer-perf-test.sh) class=org.apache.kafka.tools.ProducerPerformance ;;
  *) echo "unknown Kafka tool: $0" >&2; exit 2 ;;
esac
exec /opt/kafka/bin/kafka-run-class.sh "$class" "$@"
