package io.contentmachine.index.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.contentmachine.index.embedding.Embeddings;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded store: one Lucene document per project with HNSW vector fields {@code topic} and {@code script}
 * (cosine), on local disk. Every write is committed, so the index survives a restart. Lucene scores cosine as
 * (1 + cos) / 2; hits are reported with the plain cosine computed from the stored vectors, as Qdrant reports it.
 * <p>
 * Every write is a read-merge-write of the whole document under one lock, so two threads writing different named
 * vectors of a project keep both; one process owns the folder (Lucene's write lock), so there are no other writers.
 * A deleted project becomes a tombstone document (status deleted, no vector fields, no owner term): a later write
 * finds it under the lock and leaves it, and a search cannot return it (it has neither the vector nor the owner).
 */
public final class LuceneVectorStore implements VectorStore {

    /** Lucene 9's HNSW format accepts at most this many dimensions. */
    public static final int MAX_DIMENSION = 1024;

    private static final String ID = "id";
    private static final String OWNER = "owner";
    /** Payload values indexed as keyword terms (for filtered searches); longer values are only stored. */
    private static final String TERM = "t.";
    private static final int MAX_TERM = 200;
    private static final String PAYLOAD = "p.";
    private static final String VECTOR = "v.";
    private static final String DIMENSION_KEY = "dimension";

    private final Path path;
    private final int dimension;
    private final int efSearch;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Object writeLock = new Object();

    /**
     * Opens (or creates) the index in {@code path}. {@code efSearch} is how many candidates the HNSW search collects
     * before keeping the best {@code limit}: more is slower and nearer to exact.
     */
    public LuceneVectorStore(Path path, int dimension, int efSearch) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalStateException("the embedded store supports 1.." + MAX_DIMENSION + " dimensions, the embedding model gives "
                    + dimension + "; use INDEX_STORE=qdrant for larger vectors");
        }
        this.path = path;
        this.dimension = dimension;
        this.efSearch = efSearch;
        try {
            Files.createDirectories(path);
            this.directory = FSDirectory.open(path);
            if (DirectoryReader.indexExists(directory)) {
                String existing = SegmentInfos.readLatestCommit(directory).getUserData().get(DIMENSION_KEY);
                if (existing != null && Integer.parseInt(existing) != dimension) {
                    directory.close();
                    throw new IllegalStateException("the embedded index at " + path + " holds " + existing
                            + "-d vectors but the embedding model gives " + dimension + "-d vectors; point INDEX_EMBEDDED_PATH at a new "
                            + "folder (and re-index) or use the model the index was built with");
                }
            }
            this.writer = new IndexWriter(directory, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
            writer.setLiveCommitData(Map.of(DIMENSION_KEY, Integer.toString(dimension)).entrySet());
            writer.commit();
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the embedded index at " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredProject> get(UUID projectId) {
        return withSearcher(searcher -> {
            TopDocs found = searcher.search(new TermQuery(new Term(ID, projectId.toString())), 1);
            if (found.scoreDocs.length == 0) {
                return Optional.empty();
            }
            return Optional.of(read(searcher.storedFields().document(found.scoreDocs[0].doc)));
        });
    }

    @Override
    public void upsert(UUID projectId, Map<VectorField, float[]> vectors, Map<String, String> payload) {
        synchronized (writeLock) {
            Optional<StoredProject> existing = get(projectId);
            if (existing.isPresent() && DELETED.equals(existing.get().payload().get(STATUS))) {
                return;
            }
            StoredProject merged = existing
                    .map(found -> merge(found, vectors, payload))
                    .orElseGet(() -> new StoredProject(projectId, new LinkedHashMap<>(payload), copy(vectors)));
            write(List.of(merged));
        }
    }

    /** Bulk load (replacing whole points, no merge), committed once: for initial loads and benchmarks. */
    public void putAll(Collection<StoredProject> projects) {
        synchronized (writeLock) {
            write(projects);
        }
    }

    @Override
    public void delete(UUID projectId) {
        synchronized (writeLock) {
            write(List.of(new StoredProject(projectId, VectorStore.tombstone(projectId), Map.of())));
        }
    }

    @Override
    public List<SearchHit> search(VectorField field, float[] vector, String ownerId, Map<String, List<String>> anyOf, int limit,
            double minScore) {
        checkDimension(vector);
        BooleanQuery.Builder filter = new BooleanQuery.Builder().add(new TermQuery(new Term(OWNER, ownerId)), BooleanClause.Occur.FILTER);
        anyOf.forEach((key, values) -> {
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            values.forEach(value -> any.add(new TermQuery(new Term(TERM + key, value)), BooleanClause.Occur.SHOULD));
            filter.add(any.build(), BooleanClause.Occur.FILTER);
        });
        return withSearcher(searcher -> {
            KnnFloatVectorQuery query = new KnnFloatVectorQuery(field.key(), vector, Math.max(limit, efSearch), filter.build());
            TopDocs top = searcher.search(query, Math.max(limit, efSearch));
            List<SearchHit> hits = new ArrayList<>(limit);
            for (ScoreDoc scoreDoc : top.scoreDocs) {
                if (hits.size() == limit) {
                    break;
                }
                StoredProject project = read(searcher.storedFields().document(scoreDoc.doc));
                float[] stored = project.vectors().get(field);
                double score = stored != null ? Embeddings.cosine(vector, stored) : 2.0 * scoreDoc.score - 1.0;
                if (score >= minScore) {
                    hits.add(new SearchHit(project.projectId(), score, project.payload()));
                }
            }
            return hits;
        });
    }

    /** Merges the index down to few segments (faster searches after a bulk load). */
    public void forceMerge(int segments) {
        synchronized (writeLock) {
            try {
                writer.forceMerge(segments);
                commit();
            } catch (IOException e) {
                throw new VectorStoreException("cannot merge the embedded index: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void check() {
        if (!writer.isOpen()) {
            throw new VectorStoreException("the embedded index at " + path + " is closed");
        }
        withSearcher(searcher -> searcher.getIndexReader().numDocs());
    }

    @Override
    public String describe() {
        return "embedded Lucene index at " + path + " (" + dimension + "-d)";
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            try {
                searchers.close();
                if (writer.isOpen()) {
                    writer.close();
                }
                directory.close();
            } catch (IOException e) {
                throw new VectorStoreException("cannot close the embedded index: " + e.getMessage(), e);
            }
        }
    }

    private void write(Collection<StoredProject> projects) {
        try {
            for (StoredProject project : projects) {
                writer.updateDocument(new Term(ID, project.projectId().toString()), document(project));
            }
            commit();
        } catch (IOException | IllegalArgumentException e) {
            throw new VectorStoreException("cannot write to the embedded index: " + e.getMessage(), e);
        }
    }

    private void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    private Document document(StoredProject project) {
        Document document = new Document();
        document.add(new StringField(ID, project.projectId().toString(), Field.Store.YES));
        String owner = project.payload().get(OWNER_ID);
        if (owner != null) {
            document.add(new StringField(OWNER, owner, Field.Store.NO));
        }
        project.payload().forEach((key, value) -> {
            document.add(new StoredField(PAYLOAD + key, value));
            if (value.length() <= MAX_TERM) {
                document.add(new StringField(TERM + key, value, Field.Store.NO));
            }
        });
        project.vectors().forEach((field, vector) -> {
            checkDimension(vector);
            document.add(new KnnFloatVectorField(field.key(), vector, VectorSimilarityFunction.COSINE));
            document.add(new StoredField(VECTOR + field.key(), toBytes(vector)));
        });
        return document;
    }

    private static StoredProject read(Document document) {
        Map<String, String> payload = new LinkedHashMap<>();
        Map<VectorField, float[]> vectors = new EnumMap<>(VectorField.class);
        for (IndexableField field : document.getFields()) {
            if (field.name().startsWith(PAYLOAD)) {
                payload.put(field.name().substring(PAYLOAD.length()), field.stringValue());
            } else if (field.name().startsWith(VECTOR)) {
                String key = field.name().substring(VECTOR.length());
                for (VectorField vectorField : VectorField.values()) {
                    if (vectorField.key().equals(key)) {
                        vectors.put(vectorField, toFloats(field.binaryValue()));
                    }
                }
            }
        }
        return new StoredProject(UUID.fromString(document.get(ID)), payload, vectors);
    }

    private static StoredProject merge(StoredProject existing, Map<VectorField, float[]> vectors, Map<String, String> payload) {
        Map<String, String> mergedPayload = new LinkedHashMap<>(existing.payload());
        mergedPayload.putAll(payload);
        String status = existing.payload().get(STATUS);
        if (payload.containsKey(STATUS) && !VectorStore.movesForward(status, payload.get(STATUS))) {
            mergedPayload.put(STATUS, status);
        }
        Map<VectorField, float[]> mergedVectors = copy(existing.vectors());
        mergedVectors.putAll(vectors);
        return new StoredProject(existing.projectId(), mergedPayload, mergedVectors);
    }

    private static Map<VectorField, float[]> copy(Map<VectorField, float[]> vectors) {
        Map<VectorField, float[]> copy = new EnumMap<>(VectorField.class);
        copy.putAll(vectors);
        return copy;
    }

    private void checkDimension(float[] vector) {
        if (vector.length != dimension) {
            throw new VectorStoreException("vector has " + vector.length + " dimensions, the index " + dimension);
        }
    }

    private static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    private static float[] toFloats(BytesRef bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length).asFloatBuffer().get(vector);
        return vector;
    }

    private <T> T withSearcher(SearcherFunction<T> function) {
        IndexSearcher searcher = null;
        try {
            searcher = searchers.acquire();
            return function.apply(searcher);
        } catch (IOException e) {
            throw new VectorStoreException("cannot read the embedded index: " + e.getMessage(), e);
        } finally {
            if (searcher != null) {
                try {
                    searchers.release(searcher);
                } catch (IOException e) {
                    throw new VectorStoreException("cannot release an index searcher: " + e.getMessage(), e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }
}
