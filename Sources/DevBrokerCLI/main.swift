// `devbroker`: hosts librdkafka's in-memory mock Kafka cluster on loopback for local runs and tests.
import ArgumentParser

DevBrokerCommand.main()
