package io.contentmachine.index.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.contentmachine.index.embedding.Embeddings;
import io.contentmachine.index.embedding.MiniLmEmbedder;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (the class name does not end in Test): embeds N synthetic topics with
 * the offline model (batched), loads them into the embedded Lucene store, then measures k=5 query latency (p50/p99)
 * and recall@5 against exact brute force. Run:
 * {@code ./mvnw -pl index-service verify -Dtest=EmbeddedStoreBenchmark -Dbench.points=100000}
 * (system properties bench.points, bench.queries, bench.ef = comma-separated efSearch values).
 */
class EmbeddedStoreBenchmark {

    private static final String[] SUBJECTS = {"octopuses", "black holes", "the Roman Empire", "sourdough bread", "honey bees",
        "volcanoes", "electric cars", "the stock market", "sleep", "coffee", "sharks", "the pyramids", "the Titanic", "vaccines",
        "earthquakes", "butterflies", "penguins", "the moon", "rainbows", "the internet", "solar panels", "chess", "jazz",
        "the Vikings", "tea", "dinosaurs", "the human heart", "glaciers", "hurricanes", "cats", "dogs", "meditation",
        "running", "saving money", "learning Spanish", "photography", "origami", "the Great Wall of China", "submarines",
        "spiders", "the Olympics", "chocolate", "pizza", "the Amazon rainforest", "Mars", "satellites", "the printing press",
        "dolphins", "tomato plants", "bicycles"};
    private static final String[] TEMPLATES = {"Why %s matter", "The history of %s", "How %s work", "5 facts about %s",
        "The truth about %s", "What nobody tells you about %s", "The science of %s", "A beginner's guide to %s",
        "Common myths about %s", "The future of %s", "How %s changed the world", "The strangest thing about %s",
        "Everything you need to know about %s", "The dark side of %s", "Surprising uses of %s", "Mistakes people make with %s",
        "How to explain %s to a child", "The economics of %s", "The biggest mystery of %s", "%s explained in one minute",
        "Top 10 questions about %s", "How scientists study %s", "The art of %s", "What %s teach us about life",
        "The record-breaking world of %s", "%s: fact or fiction", "The hidden cost of %s", "How %s evolved",
        "The best documentaries about %s", "Why people love %s", "The ancient origins of %s", "%s around the world",
        "How climate change affects %s", "The psychology of %s", "Ten minutes with %s", "The rise and fall of %s",
        "What would happen without %s", "The weirdest records about %s", "How to get started with %s", "The math behind %s"};
    private static final String[] MODIFIERS = {"in 60 seconds", "for beginners", "for kids", "you never knew", "explained simply",
        "in 2026", "that will blow your mind", "step by step", "in three minutes", "for busy people", "from an expert",
        "the easy way", "with examples", "in plain English", "on a budget", "at home", "in the wild", "up close",
        "through history", "by the numbers", "from space", "under the microscope", "in slow motion", "for students",
        "in one picture", "myth vs reality", "the short version", "the long story", "with a twist", "as a story",
        "told by a scientist", "in five steps", "without jargon", "in a nutshell", "for curious minds", "before you die",
        "today", "this year", "in Europe", "in Asia", "in Africa", "in America", "at night", "in winter", "in summer",
        "for parents", "for teachers", "for gamers", "for travellers", "for artists"};
    private static final String[] QUERY_MODIFIERS = {"quickly explained", "for everyone", "an overview", "in short",
        "the basics", "deep dive", "a quick look", "the essentials"};

    /** Runs without JUnit too: java -cp (test classpath) io.contentmachine.index.store.EmbeddedStoreBenchmark. */
    public static void main(String[] args) throws IOException {
        new EmbeddedStoreBenchmark().loadAndQuery();
    }

    @Test
    void loadAndQuery() throws IOException {
        int points = Integer.getInteger("bench.points", 100_000);
        int queries = Integer.getInteger("bench.queries", 1_000);
        int[] efValues = Arrays.stream(System.getProperty("bench.ef", "50,100,200").split(",")).mapToInt(Integer::parseInt).toArray();
        Random random = new Random(7);
        List<String> texts = new ArrayList<>(points);
        for (int i = 0; texts.size() < points; i++) {
            String subject = SUBJECTS[i % SUBJECTS.length];
            String template = TEMPLATES[(i / SUBJECTS.length) % TEMPLATES.length];
            String modifier = MODIFIERS[(i / (SUBJECTS.length * TEMPLATES.length)) % MODIFIERS.length];
            int round = i / (SUBJECTS.length * TEMPLATES.length * MODIFIERS.length);
            texts.add(String.format(template, subject) + " " + modifier + (round > 0 ? " part " + (round + 1) : ""));
        }
        List<String> queryTexts = new ArrayList<>(queries);
        for (int i = 0; i < queries; i++) {
            queryTexts.add(String.format(TEMPLATES[random.nextInt(TEMPLATES.length)], SUBJECTS[random.nextInt(SUBJECTS.length)])
                    + " " + QUERY_MODIFIERS[random.nextInt(QUERY_MODIFIERS.length)]);
        }

        Embeddings embeddings = new Embeddings(new MiniLmEmbedder(Runtime.getRuntime().availableProcessors()), 64, 0);
        embeddings.embedAll(texts.subList(0, Math.min(200, points)));
        long start = System.nanoTime();
        List<float[]> vectors = new ArrayList<>(points);
        for (int from = 0; from < points; from += 1_000) {
            vectors.addAll(embeddings.embedAll(texts.subList(from, Math.min(points, from + 1_000))));
        }
        double embedSeconds = seconds(start);
        List<float[]> queryVectors = embeddings.embedAll(queryTexts);
        embeddings.close();
        System.out.printf("BENCH embedding: %d texts in %.1f s = %.0f texts/s (batched, %d threads)%n", points, embedSeconds,
                points / embedSeconds, Runtime.getRuntime().availableProcessors());

        Path folder = Files.createTempDirectory("index-benchmark");
        try {
            List<UUID> ids = new ArrayList<>(points);
            try (LuceneVectorStore store = new LuceneVectorStore(folder, MiniLmEmbedder.DIMENSION, 100)) {
                start = System.nanoTime();
                List<StoredProject> batch = new ArrayList<>();
                for (int i = 0; i < points; i++) {
                    UUID id = UUID.randomUUID();
                    ids.add(id);
                    batch.add(new StoredProject(id, Map.of("ownerId", "bench", "projectId", id.toString(), "topic", texts.get(i)),
                            Map.of(VectorField.TOPIC, vectors.get(i))));
                    if (batch.size() == 10_000 || i == points - 1) {
                        store.putAll(batch);
                        batch.clear();
                    }
                }
                double loadSeconds = seconds(start);
                start = System.nanoTime();
                store.forceMerge(1);
                System.out.printf("BENCH load: %d points in %.1f s (%.0f points/s), force-merge to one segment %.1f s%n", points,
                        loadSeconds, points / loadSeconds, seconds(start));
            }
            List<List<UUID>> exact = new ArrayList<>(queries);
            for (float[] query : queryVectors) {
                exact.add(bruteForce(query, vectors, ids, 5));
            }
            for (int ef : efValues) {
                try (LuceneVectorStore store = new LuceneVectorStore(folder, MiniLmEmbedder.DIMENSION, ef)) {
                    for (int i = 0; i < Math.min(queries, 300); i++) {
                        store.search(VectorField.TOPIC, queryVectors.get(i), "bench", 5, -1);
                    }
                    long[] latencies = new long[queries];
                    double recall = 0;
                    for (int i = 0; i < queries; i++) {
                        long t0 = System.nanoTime();
                        List<SearchHit> hits = store.search(VectorField.TOPIC, queryVectors.get(i), "bench", 5, -1);
                        latencies[i] = System.nanoTime() - t0;
                        Set<UUID> found = new HashSet<>();
                        hits.forEach(hit -> found.add(hit.projectId()));
                        recall += exact.get(i).stream().filter(found::contains).count() / 5.0;
                    }
                    Arrays.sort(latencies);
                    System.out.printf("BENCH query k=5 efSearch=%d over %d points: p50 %.2f ms, p99 %.2f ms, recall@5 %.4f (%d queries)%n",
                            ef, points, latencies[queries / 2] / 1e6, latencies[(int) Math.ceil(queries * 0.99) - 1] / 1e6,
                            recall / queries, queries);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static List<UUID> bruteForce(float[] query, List<float[]> vectors, List<UUID> ids, int k) {
        Integer[] order = new Integer[vectors.size()];
        double[] scores = new double[vectors.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            scores[i] = Embeddings.cosine(query, vectors.get(i));
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        List<UUID> top = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            top.add(ids.get(order[i]));
        }
        return top;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
