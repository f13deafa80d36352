package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.data.io.FakeDatasetHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dpo4j train --data} reads every source {@code data prepare} reads: the same rows as JSONL, as
 * Parquet, and as a Hub dataset ({@code --dataset org/name}, served by a loopback Hub) train to the same
 * adapter, byte for byte.
 */
class TrainDataSourcesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message prefs {
              required binary prompt (STRING);
              required binary chosen (STRING);
              required binary rejected (STRING);
            }""");
    private static final String[][] ROWS = {
        {"Once upon a time", " there was a cat.", " the end."},
        {"The dog", " ran to the park.", " sat."},
        {"Lily liked", " to play outside.", " no."},
        {"Tom had a", " big red ball.", " ball ball."},
        {"One day", " the sun was warm.", " it."},
        {"She said", " thank you, mom.", " what."},
    };

    @TempDir
    Path tmp;

    private static List<String> args(String source, String value, Path out) {
        return new ArrayList<>(List.of("train", "--model", Fixtures.path("real/models/stories260K").toString(),
                source, value, "--output", out.toString(), "--max-steps", "2", "--train-batch-size", "3",
                "--learning-rate", "1e-2", "--lora-r", "4", "--lora-dropout", "0", "--seed", "3"));
    }

    private byte[] trainInProcess(String source, Path data, String name) throws IOException {
        Path out = tmp.resolve(name);
        CliTest.Run r = CliTest.cli(args(source, data.toString(), out).toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("6"), r.out());
        return Files.readAllBytes(out.resolve(PeftAdapters.WEIGHTS_FILE));
    }

    @Test
    void jsonlParquetAndAHubDatasetTrainTheSameAdapter() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String[] row : ROWS) {
            ObjectNode o = JSON.createObjectNode().put("prompt", row[0]).put("chosen", row[1]).put("rejected", row[2]);
            lines.add(o.toString());
        }
        Path jsonl = Files.write(tmp.resolve("prefs.jsonl"), lines);
        Path parquet = tmp.resolve("prefs.parquet");
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(parquet))
                .withConf(new PlainParquetConfiguration()).withType(SCHEMA)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (String[] row : ROWS) {
                writer.write(new SimpleGroupFactory(SCHEMA).newGroup().append("prompt", row[0]).append("chosen", row[1])
                        .append("rejected", row[2]));
            }
        }
        byte[] fromJsonl = trainInProcess("--data", jsonl, "jsonl");
        assertArrayEquals(fromJsonl, trainInProcess("--data", parquet, "parquet"));

        try (FakeDatasetHub hub = new FakeDatasetHub()) {
            hub.revision("acme/prefs", "main", "0123456789abcdef0123456789abcdef01234567")
                    .file("README.md", "# prefs".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .file("data/train-00000-of-00001.parquet", Files.readAllBytes(parquet));
            // HF_ENDPOINT and HF_HOME reach the Hub client through the environment: run the CLI as a child
            Path out = tmp.resolve("hub");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", Dpo4jCli.class.getName()));
            command.addAll(args("--dataset", "acme/prefs", out));
            Path log = tmp.resolve("child.log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("HF_ENDPOINT", hub.url());
            builder.environment().put("HF_HOME", tmp.resolve("hf-home").toString());
            builder.environment().remove("HF_HUB_OFFLINE");
            Process child = builder.start();
            assertTrue(child.waitFor(180, TimeUnit.SECONDS), "train --dataset did not finish in 180 s");
            assertEquals(0, child.exitValue(), Files.readString(log));
            assertArrayEquals(fromJsonl, Files.readAllBytes(out.resolve(PeftAdapters.WEIGHTS_FILE)));
        }
    }
}
