package io.contentmachine.kit.deadletters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.annotation.Identifier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * This service's dead letters, and their replay through the normal path. Every consumer channel with a dead-letter topic
 * ({@code <topic>.<service>.dlq}) also subscribes to its replay topic ({@code <topic>.<service>.replay}): replaying copies
 * the dead letters not replayed yet to that topic, where the channel's own consumer, idempotent as always, applies them
 * again. Only this service sees them; subscribers of the original topic see nothing twice. How far the replay got is the
 * committed offset of the group {@code <application>.dead-letters} on each dead-letter topic, so a letter is replayed once
 * per request that finds it, and a crash between copy and commit only copies it again (the consumer drops the duplicate).
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final Pattern DLQ_PROPERTY = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.dead-letter-queue\\.topic");
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final String DLQ_SUFFIX = ".dlq";
    private static final String REPLAY_SUFFIX = ".replay";

    /** A dead-letter topic of this service: where its letters came from, where replay sends them, how many wait. */
    public record Topic(String topic, String channel, List<String> from, String replayTopic, boolean replayable, long pending) {
    }

    /** Dead letters cannot be read or replayed: Kafka did not answer, or the channel does not subscribe to its replay topic. */
    public static class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Channel(String name, String deadLetterTopic, List<String> topics) {

        String replayTopic() {
            return replayTopicOf(deadLetterTopic);
        }

        boolean replayable() {
            return topics.contains(replayTopic());
        }
    }

    private final Map<String, Object> kafka;
    private final String group;
    private final Map<String, Channel> channels = new TreeMap<>();

    DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafka, Config config) {
        this.kafka = kafka;
        this.group = config.getOptionalValue("quarkus.application.name", String.class).orElse("service") + ".dead-letters";
        for (String property : config.getPropertyNames()) {
            Matcher matcher = DLQ_PROPERTY.matcher(property);
            if (matcher.matches()) {
                String name = matcher.group(1);
                String prefix = "mp.messaging.incoming." + name + ".";
                Optional<String> topics = config.getOptionalValue(prefix + "topics", String.class);
                String subscribed = topics.orElseGet(() -> config.getOptionalValue(prefix + "topic", String.class).orElse(name));
                String deadLetterTopic = config.getValue(property, String.class);
                channels.put(deadLetterTopic, new Channel(name, deadLetterTopic,
                        Arrays.stream(subscribed.split(",")).map(String::strip).toList()));
            }
        }
    }

    /** {@code video.stored.publish-service.dlq} → {@code video.stored.publish-service.replay}. */
    public static String replayTopicOf(String deadLetterTopic) {
        return deadLetterTopic.endsWith(DLQ_SUFFIX)
                ? deadLetterTopic.substring(0, deadLetterTopic.length() - DLQ_SUFFIX.length()) + REPLAY_SUFFIX
                : deadLetterTopic + REPLAY_SUFFIX;
    }

    /**
     * The topic a record was first published to: a replayed record ({@code video.stored.api-service.replay}) counts as
     * one of {@code video.stored}, so a consumer that keys what it processed by topic sees the same event.
     */
    public static String originalTopic(String topic) {
        if (!topic.endsWith(REPLAY_SUFFIX)) {
            return topic;
        }
        String withoutSuffix = topic.substring(0, topic.length() - REPLAY_SUFFIX.length());
        int service = withoutSuffix.lastIndexOf('.');
        return service < 0 ? topic : withoutSuffix.substring(0, service);
    }

    /** Every dead-letter topic of this service, by name, with the letters not replayed yet. Blocking. */
    public List<Topic> topics() {
        List<Topic> topics = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            for (Channel channel : channels.values()) {
                List<TopicPartition> partitions = partitions(consumer, channel.deadLetterTopic());
                long pending = 0;
                if (!partitions.isEmpty()) {
                    Map<TopicPartition, Long> start = start(consumer, partitions);
                    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
                    for (TopicPartition partition : partitions) {
                        pending += Math.max(0, end.get(partition) - start.get(partition));
                    }
                }
                topics.add(new Topic(channel.deadLetterTopic(), channel.name(), channel.topics().stream()
                        .filter(t -> !t.equals(channel.replayTopic())).toList(), channel.replayTopic(), channel.replayable(), pending));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new Unavailable("Kafka did not answer within " + KAFKA_TIMEOUT.toSeconds() + " s", e);
        }
        return topics;
    }

    /** Whether {@code topic} is one of this service's dead-letter topics. */
    public boolean owns(String topic) {
        return channels.containsKey(topic);
    }

    /**
     * Copies the letters of {@code deadLetterTopic} not replayed yet, as they were (key, value, headers), to its replay
     * topic, then records how far it got. Letters that arrive meanwhile wait for the next replay. Blocking.
     *
     * @return how many letters were replayed
     */
    public long replay(String deadLetterTopic) {
        Channel channel = channels.get(deadLetterTopic);
        if (!channel.replayable()) {
            throw new Unavailable("channel " + channel.name() + " does not subscribe to " + channel.replayTopic()
                    + ": add it to mp.messaging.incoming." + channel.name() + ".topics", null);
        }
        try (KafkaConsumer<String, String> consumer = consumer(); KafkaProducer<String, String> producer = producer()) {
            List<TopicPartition> partitions = partitions(consumer, deadLetterTopic);
            if (partitions.isEmpty()) {
                return 0;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            start(consumer, partitions).forEach(consumer::seek);
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (partitions.stream().anyMatch(p -> consumer.position(p, KAFKA_TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new Unavailable("replay of " + deadLetterTopic + " did not reach the end within 5 minutes", null);
                }
                for (ConsumerRecord<String, String> letter : consumer.poll(Duration.ofMillis(500))) {
                    if (letter.offset() < end.get(new TopicPartition(letter.topic(), letter.partition()))) {
                        sent.add(producer.send(new ProducerRecord<>(channel.replayTopic(), null, letter.key(), letter.value(),
                                letter.headers())));
                    }
                }
            }
            for (Future<RecordMetadata> send : sent) {
                send.get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            end.forEach((partition, offset) -> done.put(partition, new OffsetAndMetadata(offset)));
            consumer.commitSync(done, KAFKA_TIMEOUT);
            LOG.infof("replayed %d dead letter(s) of %s to %s", sent.size(), deadLetterTopic, channel.replayTopic());
            return sent.size();
        } catch (org.apache.kafka.common.errors.TimeoutException | TimeoutException | ExecutionException e) {
            throw new Unavailable("Kafka did not take the replay of " + deadLetterTopic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        List<PartitionInfo> infos = consumer.listTopics(KAFKA_TIMEOUT).get(topic);
        return infos == null ? List.of() : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    /** Where the next replay starts on each partition: the group's committed offset, else the partition's first letter. */
    private static Map<TopicPartition, Long> start(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), KAFKA_TIMEOUT);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, KAFKA_TIMEOUT);
        Map<TopicPartition, Long> start = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            start.put(partition, offset == null ? beginning.get(partition) : Math.max(offset.offset(), beginning.get(partition)));
        }
        return start;
    }

    private KafkaConsumer<String, String> consumer() {
        Properties properties = clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    private KafkaProducer<String, String> producer() {
        Properties properties = clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(KAFKA_TIMEOUT.toMillis()));
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** The broker settings every Kafka client of this service uses (bootstrap servers, security), nothing channel-specific. */
    private Properties clientProperties() {
        Properties properties = new Properties();
        kafka.forEach((key, value) -> {
            if (key.equals("bootstrap.servers") || key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                properties.put(key, value);
            }
        });
        properties.put("client.id", group + "-" + System.nanoTime());
        properties.put("default.api.timeout.ms", String.valueOf(KAFKA_TIMEOUT.toMillis()));
        return properties;
    }
}
