package io.contentmachine.index.store;

/** The vector store could not carry out an operation (unreachable, rejected, closed). */
public class VectorStoreException extends RuntimeException {

    public VectorStoreException(String message) {
        super(message);
    }

    public VectorStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
