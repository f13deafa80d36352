package dev.dpo4j.core.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A safetensors file, index or checkpoint folder is malformed, or a request against it cannot be
 * served (missing tensor, unsupported dtype, tensor too large).
 *
 * <p>The message always starts with the offending file (or checkpoint folder) and, where one is
 * involved, the tensor name, so that it can be acted on without a debugger.
 */
public final class SafetensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file, index or folder named in the message (not serialized: Path is not). */
    private final transient Path file;
    /** The tensor named in the message, or null. */
    private final String tensor;

    /**
     * Creates an exception about a file as a whole.
     *
     * @param file the safetensors file, index file or checkpoint folder concerned
     * @param problem what is wrong, as a sentence fragment
     */
    public SafetensorsException(Path file, String problem) {
        this(file, null, problem, null);
    }

    /**
     * Creates an exception about one tensor of a file.
     *
     * @param file the safetensors file, index file or checkpoint folder concerned
     * @param tensor the tensor name, or {@code null} if no single tensor is concerned
     * @param problem what is wrong, as a sentence fragment
     */
    public SafetensorsException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    /**
     * Creates an exception with an underlying cause.
     *
     * @param file the safetensors file, index file or checkpoint folder concerned
     * @param tensor the tensor name, or {@code null} if no single tensor is concerned
     * @param problem what is wrong, as a sentence fragment
     * @param cause the underlying exception, or {@code null}
     */
    public SafetensorsException(Path file, String tensor, String problem, Throwable cause) {
        super(format(file, tensor, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.tensor = tensor;
    }

    /**
     * Returns the file, index file or checkpoint folder the problem was found in.
     *
     * @return the path named in the message
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the tensor the problem concerns, if any.
     *
     * @return the tensor name, or empty when the problem concerns the file as a whole
     */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }

    private static String format(Path file, String tensor, String problem) {
        String where = tensor == null ? String.valueOf(file) : file + ", tensor '" + tensor + "'";
        return where + ": " + problem;
    }
}
