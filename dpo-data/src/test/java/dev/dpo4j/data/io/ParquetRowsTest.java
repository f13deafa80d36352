package dev.dpo4j.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Parquet: round trips through parquet-java's writer and files written by pyarrow. */
class ParquetRowsTest {

    /** UltraFeedback binarized's columns, with LIST in the 3-level layout pyarrow writes. */
    private static final MessageType ULTRAFEEDBACK = MessageTypeParser.parseMessageType("""
            message schema {
              optional binary prompt (STRING);
              optional group chosen (LIST) {
                repeated group list {
                  optional group element { optional binary content (STRING); optional binary role (STRING); }
                }
              }
              optional group rejected (LIST) {
                repeated group list {
                  optional group element { optional binary content (STRING); optional binary role (STRING); }
                }
              }
              optional double score_chosen;
            }""");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String prompt(int i) {
        return "prompt " + i + " with ünïcödé";
    }

    private static void message(Group list, String content, String role) {
        Group element = list.addGroup("list").addGroup("element");
        element.append("content", content).append("role", role);
    }

    private Path writeUltraFeedback(CompressionCodecName codec, int rows) throws IOException {
        Path file = dir.resolve("uf-" + codec + ".parquet");
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(ULTRAFEEDBACK)
                .withCompressionCodec(codec).withRowGroupSize(4096L).withPageSize(1024).build()) {
            SimpleGroupFactory factory = new SimpleGroupFactory(ULTRAFEEDBACK);
            for (int i = 0; i < rows; i++) {
                Group row = factory.newGroup();
                if (i % 10 != 9) {
                    row.append("prompt", prompt(i));
                    row.append("score_chosen", i / 4.0);
                }
                Group chosen = row.addGroup("chosen");
                message(chosen, prompt(i), "user");
                message(chosen, "good answer " + i, "assistant");
                Group rejected = row.addGroup("rejected");
                if (i % 2 == 0) {
                    message(rejected, prompt(i), "user");
                }
                writer.write(row);
            }
        }
        return file;
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"SNAPPY", "ZSTD"})
    void ultraFeedbackShapedRowsRoundTrip(CompressionCodecName codec) throws IOException {
        int rows = 200;
        Path file = writeUltraFeedback(codec, rows);
        try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
            assertEquals(codec, footer.getFooter().getBlocks().get(0).getColumns().get(0).getCodec());
            assertTrue(footer.getFooter().getBlocks().size() > 1, "want several row groups to stream across");
        }
        List<DataRow> read = Datasets.open(file).toList();
        assertEquals(rows, read.size());
        for (int i = 0; i < rows; i++) {
            DataRow row = read.get(i);
            assertEquals(i + 1, row.line(), "line is the 1-based row number");
            assertEquals(file.toString(), row.source());
            boolean missing = i % 10 == 9;
            String expected = "{\"prompt\":" + (missing ? "null" : "\"" + prompt(i) + "\"")
                    + ",\"chosen\":[{\"content\":\"" + prompt(i) + "\",\"role\":\"user\"},"
                    + "{\"content\":\"good answer " + i + "\",\"role\":\"assistant\"}]"
                    + ",\"rejected\":[" + (i % 2 == 0 ? "{\"content\":\"" + prompt(i) + "\",\"role\":\"user\"}" : "") + "]"
                    + ",\"score_chosen\":" + (missing ? "null" : String.valueOf(i / 4.0)) + "}";
            assertEquals(JSON.readTree(expected), row.value(), "row " + (i + 1));
        }
    }

    @Test
    void legacyTwoLevelListsMapsAndRepeatedFields() throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message legacy {
                  optional group tags (LIST) { repeated binary array (UTF8); }
                  optional group pairs (LIST) { repeated group pair { required int32 a; required int32 b; } }
                  optional group counts (MAP) {
                    repeated group key_value { required binary key (UTF8); optional int64 value; }
                  }
                  repeated int32 bare;
                  required int32 unsigned (UINT_32);
                  optional group point { required float x; required boolean ok; }
                }""");
        Path file = dir.resolve("legacy.parquet");
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema).build()) {
            Group row = new SimpleGroupFactory(schema).newGroup();
            Group tags = row.addGroup("tags");
            tags.append("array", "x").append("array", "y");
            Group pairs = row.addGroup("pairs");
            pairs.addGroup("pair").append("a", 1).append("b", 2);
            Group counts = row.addGroup("counts");
            counts.addGroup("key_value").append("key", "k1").append("value", 10L);
            counts.addGroup("key_value").append("key", "k2");
            row.append("bare", 5).append("bare", 6);
            row.append("unsigned", -1);
            row.addGroup("point").append("x", 1.5f).append("ok", true);
            writer.write(row);
        }
        JsonNode value = Datasets.open(file).toList().get(0).value();
        // UINT_32 0xFFFFFFFF is 2^32 - 1 = 4294967295.
        assertEquals(JSON.readTree("{\"tags\":[\"x\",\"y\"],\"pairs\":[{\"a\":1,\"b\":2}],"
                + "\"counts\":{\"k1\":10,\"k2\":null},\"bare\":[5,6],\"unsigned\":4294967295,"
                + "\"point\":{\"x\":1.5,\"ok\":true}}"), JSON.readTree(value.toString()));
    }

    /**
     * Files written by pyarrow 25.0.1 (not by the library under test), row groups of 2 rows:
     * <pre>
     * msg = pa.list_(pa.struct([("content", pa.string()), ("role", pa.string())]))
     * pa.table({"prompt": ["What is 2+2?", "Say hi", None],
     *   "chosen": [[{"content": "What is 2+2?", "role": "user"}, {"content": "4", "role": "assistant"}],
     *              [{"content": "Say hi", "role": "user"}, {"content": "hi", "role": "assistant"}], []],
     *   "rejected": [[{"content": "What is 2+2?", "role": "user"}, {"content": "5", "role": "assistant"}], None, [None]],
     *   "score_chosen": float64 [8.5, 7.0, None], "score_rejected": float32 [3.0, 2.25, 1.0],
     *   "n": int64 [1, -2, 3000000000], "small": int8 [1, 2, 3], "flag": [True, False, None],
     *   "tags": list&lt;string&gt; [["x", "y"], [], None],
     *   "meta": struct&lt;k: int32, v: string&gt; [{"k": 1, "v": "a"}, None, {"k": None, "v": "c"}],
     *   "m": map&lt;string, int32&gt; [[("a", 1), ("b", 2)], [], None], "blob": binary [b"\x00\x01", b"", None],
     *   "day": date32 [0, 19000, None], "dec": decimal128(9, 2) ["1.25", "-3.50", None]})
     * pq.write_table(t, "mixed_snappy.parquet", compression="snappy", row_group_size=2)  # and "zstd"
     * </pre>
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mixed_snappy.parquet", "mixed_zstd.parquet"})
    void readsFilesWrittenByPyarrow(String resource) throws IOException {
        Path file = dir.resolve(resource);
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(resource), resource)) {
            Files.copy(in, file);
        }
        List<DataRow> rows = Datasets.open(file).toList();
        assertEquals(List.of(1L, 2L, 3L), rows.stream().map(DataRow::line).toList());
        // Day 19000 after 1970-01-01 is 2022-01-08 (Python: date(1970, 1, 1) + timedelta(days=19000)).
        String expected0 = """
                {"prompt":"What is 2+2?",
                 "chosen":[{"content":"What is 2+2?","role":"user"},{"content":"4","role":"assistant"}],
                 "rejected":[{"content":"What is 2+2?","role":"user"},{"content":"5","role":"assistant"}],
                 "score_chosen":8.5,"score_rejected":3.0,"n":1,"small":1,"flag":true,"tags":["x","y"],
                 "meta":{"k":1,"v":"a"},"m":{"a":1,"b":2},"blob":"AAE=","day":"1970-01-01","dec":1.25}""";
        String expected1 = """
                {"prompt":"Say hi",
                 "chosen":[{"content":"Say hi","role":"user"},{"content":"hi","role":"assistant"}],
                 "rejected":null,"score_chosen":7.0,"score_rejected":2.25,"n":-2,"small":2,"flag":false,
                 "tags":[],"meta":null,"m":{},"blob":"","day":"2022-01-08","dec":-3.50}""";
        String expected2 = """
                {"prompt":null,"chosen":[],"rejected":[null],"score_chosen":null,"score_rejected":1.0,
                 "n":3000000000,"small":3,"flag":null,"tags":null,"meta":{"k":null,"v":"c"},"m":null,
                 "blob":null,"day":null,"dec":null}""";
        List<String> expected = List.of(expected0, expected1, expected2);
        for (int i = 0; i < 3; i++) {
            // Compare as re-parsed JSON text so number node classes (int/long, float/double) do not matter.
            assertEquals(JSON.readTree(expected.get(i)), JSON.readTree(rows.get(i).value().toString()), "row " + (i + 1));
        }
        assertArrayEquals(new byte[] {0, 1}, rows.get(0).value().get("blob").binaryValue());
        assertEquals(new BigDecimal("-3.50"), rows.get(1).value().get("dec").decimalValue());
    }

    @Test
    void notParquetIsReportedWithTheFileName() throws IOException {
        Path file = dir.resolve("fake.parquet");
        Files.writeString(file, "this is not parquet at all");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.open(file).toList());
        assertTrue(e.getMessage().startsWith(file + ": cannot read as Parquet"), e.getMessage());
    }

    @Test
    void halfPrecisionFloatsDecode() {
        // binary16: 0x3C00 = 1.0, 0xC000 = -2.0, 0x3555 ~ 0.333251953125 (1 + 341/1024) * 2^-2, 0x0001 = 2^-24.
        assertEquals(1.0f, ParquetValues.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, ParquetValues.halfToFloat((short) 0xC000));
        assertEquals(0.333251953125f, ParquetValues.halfToFloat((short) 0x3555));
        assertEquals(0x1p-24f, ParquetValues.halfToFloat((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, ParquetValues.halfToFloat((short) 0xFC00));
    }
}
