package dev.dpo4j.core.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates the JSON header of one safetensors file.
 *
 * <p>Every check of the format that can be made without reading tensor data is made here:
 * field presence and types, dtype, shape against byte count, offsets inside the data region, and
 * no two tensors sharing bytes.
 *
 * @param tensors the tensor entries in header order
 * @param metadata the {@code "__metadata__"} map, empty when absent
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {

    /** The reserved header key holding free-form string metadata. */
    static final String METADATA_KEY = "__metadata__";

    /** Strict reader: duplicate keys and trailing content are errors, not silently accepted. */
    static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Parses a header.
     *
     * @param file the file the header came from, named in every error
     * @param json the header bytes (UTF-8 JSON, possibly padded with trailing spaces)
     * @param dataSize the size in bytes of the file's data region
     * @return the validated header
     * @throws SafetensorsException on any violation of the format
     */
    static SafetensorsHeader parse(Path file, byte[] json, long dataSize)
            throws SafetensorsException {
        JsonNode root = readJson(file, json, "header");
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (METADATA_KEY.equals(field.getKey())) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                TensorInfo info = parseTensor(file, field.getKey(), field.getValue(), dataSize);
                tensors.put(info.name(), info);
            }
        }
        checkNoOverlap(file, tensors);
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), metadata);
    }

    /**
     * Reads JSON strictly and requires an object at the top.
     *
     * @param file the file named in errors
     * @param json the JSON bytes
     * @param what what the JSON is, for errors: {@code "header"} or {@code "index"}
     * @return the top-level object
     * @throws SafetensorsException if the bytes are not one JSON object
     */
    static JsonNode readJson(Path file, byte[] json, String what)
            throws SafetensorsException {
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(json);
        } catch (JacksonException e) {
            throw new SafetensorsException(file, null, "invalid JSON " + what + ": "
                    + e.getOriginalMessage() + locationOf(e), e);
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "invalid JSON " + what + ": "
                    + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(file, "invalid JSON " + what
                    + ": expected an object, got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    private static String locationOf(JacksonException e) {
        return e.getLocation() == null ? ""
                : " (at byte " + e.getLocation().getByteOffset() + ")";
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node)
            throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(file, "field '" + METADATA_KEY
                    + "' must be an object of strings, got " + node.getNodeType());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> e = entries.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsException(file, "field '" + METADATA_KEY + "." + e.getKey()
                        + "' must be a string, got " + e.getValue().getNodeType());
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorInfo parseTensor(Path file, String name, JsonNode node, long dataSize)
            throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(file, name,
                    "entry must be an object with dtype, shape and data_offsets, got "
                            + node.getNodeType());
        }
        JsonNode dtypeNode = required(file, name, node, "dtype");
        if (!dtypeNode.isTextual()) {
            throw new SafetensorsException(file, name,
                    "field 'dtype' must be a string, got " + dtypeNode.getNodeType());
        }
        DType dtype = DType.parse(dtypeNode.textValue(), file, name);
        long[] shape = longArray(file, name, required(file, name, node, "shape"), "shape", -1);
        for (long d : shape) {
            if (d < 0) {
                throw new SafetensorsException(file, name, "negative dimension " + d
                        + " in field 'shape' " + Arrays.toString(shape));
            }
        }
        long[] offsets = longArray(file, name, required(file, name, node, "data_offsets"),
                "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < 0) {
            throw new SafetensorsException(file, name, "negative value in field 'data_offsets' ["
                    + begin + ", " + end + "]");
        }
        if (begin > end) {
            throw new SafetensorsException(file, name, "field 'data_offsets' [" + begin + ", "
                    + end + "] has begin > end");
        }
        long expectedBytes = expectedBytes(file, name, dtype, shape);
        if (end - begin != expectedBytes) {
            throw new SafetensorsException(file, name, "shape/byte-count mismatch: shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + expectedBytes
                    + " bytes but data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin));
        }
        if (end > dataSize) {
            throw new SafetensorsException(file, name, "data_offsets [" + begin + ", " + end
                    + "] end past the data region of " + dataSize + " bytes (truncated file?)");
        }
        return new TensorInfo(name, dtype, shape, begin, end, file);
    }

    private static long expectedBytes(Path file, String name, DType dtype, long[] shape)
            throws SafetensorsException {
        try {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return Math.multiplyExact(n, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, name, "shape "
                    + Arrays.toString(shape) + " overflows a 64-bit byte count");
        }
    }

    private static JsonNode required(Path file, String name, JsonNode node, String field)
            throws SafetensorsException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new SafetensorsException(file, name, "missing field '" + field + "'");
        }
        return value;
    }

    private static long[] longArray(Path file, String name, JsonNode node, String field,
            int requiredLength) throws SafetensorsException {
        if (!node.isArray()) {
            throw new SafetensorsException(file, name, "field '" + field
                    + "' must be an array of integers, got " + node.getNodeType());
        }
        if (requiredLength >= 0 && node.size() != requiredLength) {
            throw new SafetensorsException(file, name, "field '" + field + "' must have "
                    + requiredLength + " elements, got " + node.size());
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new SafetensorsException(file, name, "field '" + field + "' element " + i
                        + " must be an integer fitting 64 bits, got " + v);
            }
            values[i] = v.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(Path file, Map<String, TensorInfo> tensors)
            throws SafetensorsException {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (previous != null && t.begin() < previous.end()) {
                throw new SafetensorsException(file, t.name(), "data_offsets [" + t.begin() + ", "
                        + t.end() + "] overlap tensor '" + previous.name() + "' at ["
                        + previous.begin() + ", " + previous.end() + "]");
            }
            if (previous == null || t.end() >= previous.end()) {
                previous = t;
            }
        }
    }
}
