package dev.dpo4j.data.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Converts a Parquet record to JSON, following the Parquet logical-type spec
 * (<a href="https://github.com/apache/parquet-format/blob/master/LogicalTypes.md">LogicalTypes.md</a>):
 *
 * <ul>
 *   <li>BINARY annotated STRING, ENUM or JSON → string; unannotated BINARY → string when it is
 *       valid UTF-8 without control characters (older writers leave strings unannotated),
 *       otherwise bytes ({@link BinaryNode}, base64 when written as JSON);
 *   <li>INT32/INT64 → numbers (unsigned ones widened); DECIMAL → exact decimal; DATE →
 *       {@code yyyy-MM-dd}; TIMESTAMP and legacy INT96 → ISO-8601 text; FLOAT/DOUBLE/BOOLEAN as is;
 *   <li>LIST in the standard 3-level layout ({@code repeated group list { element }}, what pyarrow
 *       writes) and the legacy 2-level layouts → array; MAP → object keyed by the key's text;
 *       other groups (structs) → object; an unannotated repeated field → array;
 *   <li>a missing optional value → JSON null.
 * </ul>
 */
final class ParquetValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private ParquetValues() {
    }

    /**
     * Converts a record or struct.
     *
     * @param group the record
     * @return an object with one member per field, in schema order
     */
    static ObjectNode toObject(Group group) {
        GroupType type = group.getType();
        ObjectNode node = NODES.objectNode();
        for (int i = 0; i < type.getFieldCount(); i++) {
            node.set(type.getFieldName(i), field(group, i));
        }
        return node;
    }

    /** A field of a group: an array when it is repeated, null when an optional value is missing. */
    private static JsonNode field(Group group, int index) {
        Type type = group.getType().getType(index);
        int count = group.getFieldRepetitionCount(index);
        if (type.isRepetition(Type.Repetition.REPEATED)) {
            ArrayNode array = NODES.arrayNode(count);
            for (int j = 0; j < count; j++) {
                array.add(value(group, index, j, type));
            }
            return array;
        }
        return count == 0 ? NullNode.getInstance() : value(group, index, 0, type);
    }

    private static JsonNode value(Group group, int index, int repetition, Type type) {
        if (type.isPrimitive()) {
            return primitive(group, index, repetition, type.asPrimitiveType());
        }
        Group child = group.getGroup(index, repetition);
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        if (annotation instanceof ListLogicalTypeAnnotation && child.getType().getFieldCount() == 1) {
            return list(child);
        }
        if (annotation instanceof MapLogicalTypeAnnotation || annotation instanceof MapKeyValueTypeAnnotation) {
            return map(child);
        }
        return toObject(child);
    }

    /**
     * A LIST group. Its one repeated field is the 3-level wrapper ({@code list}) holding one
     * {@code element} field, unless the backward-compatibility rules of LogicalTypes.md say the
     * repeated field is itself the element: a primitive, a group of several fields, or a group
     * named {@code array} or {@code <list name>_tuple}.
     */
    private static JsonNode list(Group list) {
        GroupType listType = list.getType();
        Type repeated = listType.getType(0);
        boolean threeLevel = !repeated.isPrimitive()
                && repeated.asGroupType().getFieldCount() == 1
                && !repeated.getName().equals("array")
                && !repeated.getName().equals(listType.getName() + "_tuple");
        int count = list.getFieldRepetitionCount(0);
        ArrayNode array = NODES.arrayNode(count);
        for (int k = 0; k < count; k++) {
            array.add(threeLevel ? field(list.getGroup(0, k), 0) : value(list, 0, k, repeated));
        }
        return array;
    }

    /** A MAP group: repeated {@code key_value} groups of a key and an optional value. */
    private static JsonNode map(Group map) {
        ObjectNode object = NODES.objectNode();
        if (map.getType().getFieldCount() != 1 || map.getType().getType(0).isPrimitive()) {
            return toObject(map);
        }
        int count = map.getFieldRepetitionCount(0);
        for (int k = 0; k < count; k++) {
            Group entry = map.getGroup(0, k);
            JsonNode key = field(entry, 0);
            JsonNode value = entry.getType().getFieldCount() > 1 ? field(entry, 1) : NullNode.getInstance();
            object.set(key.isTextual() ? key.textValue() : key.toString(), value);
        }
        return object;
    }

    private static JsonNode primitive(Group group, int index, int repetition, PrimitiveType type) {
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        switch (type.getPrimitiveTypeName()) {
            case BOOLEAN:
                return BooleanNode.valueOf(group.getBoolean(index, repetition));
            case INT32: {
                int v = group.getInteger(index, repetition);
                if (annotation instanceof DecimalLogicalTypeAnnotation decimal) {
                    return DecimalNode.valueOf(BigDecimal.valueOf(v, decimal.getScale()));
                }
                if (annotation instanceof DateLogicalTypeAnnotation) {
                    return TextNode.valueOf(LocalDate.ofEpochDay(v).toString());
                }
                if (annotation instanceof IntLogicalTypeAnnotation ints && !ints.isSigned()) {
                    return LongNode.valueOf(Integer.toUnsignedLong(v));
                }
                return IntNode.valueOf(v);
            }
            case INT64: {
                long v = group.getLong(index, repetition);
                if (annotation instanceof DecimalLogicalTypeAnnotation decimal) {
                    return DecimalNode.valueOf(BigDecimal.valueOf(v, decimal.getScale()));
                }
                if (annotation instanceof TimestampLogicalTypeAnnotation timestamp) {
                    return TextNode.valueOf(timestamp(v, timestamp));
                }
                if (annotation instanceof IntLogicalTypeAnnotation ints && !ints.isSigned()) {
                    return BigIntegerNode.valueOf(new BigInteger(Long.toUnsignedString(v)));
                }
                return LongNode.valueOf(v);
            }
            case INT96:
                return TextNode.valueOf(int96(group.getInt96(index, repetition)));
            case FLOAT:
                return FloatNode.valueOf(group.getFloat(index, repetition));
            case DOUBLE:
                return DoubleNode.valueOf(group.getDouble(index, repetition));
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY:
                return binary(group.getBinary(index, repetition), annotation);
            default:
                throw new IllegalStateException("unknown Parquet type " + type);
        }
    }

    private static JsonNode binary(Binary binary, LogicalTypeAnnotation annotation) {
        if (annotation instanceof DecimalLogicalTypeAnnotation decimal) {
            return DecimalNode.valueOf(new BigDecimal(new BigInteger(binary.getBytes()), decimal.getScale()));
        }
        if (annotation instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
            ByteBuffer bytes = binary.toByteBuffer();
            return TextNode.valueOf(new UUID(bytes.getLong(), bytes.getLong()).toString());
        }
        if (annotation instanceof LogicalTypeAnnotation.Float16LogicalTypeAnnotation) {
            ByteBuffer bytes = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            return FloatNode.valueOf(halfToFloat(bytes.getShort()));
        }
        if (annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
            return TextNode.valueOf(binary.toStringUsingUTF8());
        }
        byte[] bytes = binary.getBytes();
        if (annotation == null) {
            String text = asText(bytes);
            if (text != null) {
                return TextNode.valueOf(text);
            }
        }
        return BinaryNode.valueOf(bytes);
    }

    /** The bytes as text when they are valid UTF-8 without control characters other than tab and line breaks. */
    private static String asText(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notText) {
            return null;
        }
        boolean control = text.chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F);
        return control ? null : text;
    }

    /**
     * IEEE 754 binary16 to float: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits;
     * exponent 0 is subnormal ({@code mantissa * 2^-24}), 31 is infinity or NaN.
     */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        float magnitude;
        if (exponent == 0) {
            magnitude = Math.scalb((float) mantissa, -24);
        } else if (exponent == 31) {
            magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Math.scalb((float) (1024 + mantissa), exponent - 25);
        }
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }

    private static String timestamp(long value, TimestampLogicalTypeAnnotation type) {
        Instant instant = switch (type.getUnit()) {
            case MILLIS -> Instant.ofEpochMilli(value);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L),
                    Math.floorMod(value, 1_000_000L) * 1_000L);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L),
                    Math.floorMod(value, 1_000_000_000L));
        };
        return type.isAdjustedToUTC() ? instant.toString() : LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    /** Legacy INT96 timestamp: 8 bytes of nanoseconds in the day, then 4 bytes of Julian day, little-endian. */
    private static String int96(Binary binary) {
        ByteBuffer bytes = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = bytes.getLong();
        long julianDay = Integer.toUnsignedLong(bytes.getInt());
        long epochNanosDay = (julianDay - JULIAN_DAY_OF_EPOCH) * NANOS_PER_DAY + nanosOfDay;
        return Instant.ofEpochSecond(Math.floorDiv(epochNanosDay, 1_000_000_000L),
                Math.floorMod(epochNanosDay, 1_000_000_000L)).toString();
    }
}
