package dev.dpo4j.core.safetensors;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Element types of safetensors tensors supported by dpo4j, spelled as in the safetensors header.
 *
 * <p>All three are read widened to float32; BF16 is never handed to the engine as such because
 * DJL's PyTorch JNI cannot create bfloat16 arrays.
 */
public enum DType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16 (half precision): 1 sign, 5 exponent, 10 mantissa bits. */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32 (1 sign, 8 exponent, 7 mantissa bits). */
    BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /**
     * Returns the size of one element in bytes.
     *
     * @return 4 for F32, 2 for F16 and BF16
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Parses a dtype string from a safetensors header.
     *
     * @param text the header's {@code dtype} value, e.g. {@code "BF16"}
     * @param file the file being read, named in the error
     * @param tensor the tensor being read, named in the error
     * @return the matching dtype
     * @throws SafetensorsException if the dtype is not one of {@link #supportedList()}
     */
    public static DType parse(String text, Path file, String tensor) throws SafetensorsException {
        for (DType d : values()) {
            if (d.name().equals(text)) {
                return d;
            }
        }
        throw new SafetensorsException(file, tensor,
                "unsupported dtype '" + text + "' (supported: " + supportedList() + ")");
    }

    /**
     * Returns the supported dtype names, comma-separated, for error messages.
     *
     * @return {@code "F32, F16, BF16"}
     */
    public static String supportedList() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
