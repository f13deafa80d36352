package dev.dpo4j.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.hub.HubException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hub dataset splits through HubClient against a fake Hub: layouts, the cache, offline mode, errors. */
class HubDatasetsTest {

    private static final String COMMIT = "a".repeat(40);
    private static final String CONVERTED_COMMIT = "c".repeat(40);
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message m { required binary text (STRING); }");

    @TempDir
    Path home;

    @TempDir
    Path scratch;

    private FakeDatasetHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeDatasetHub();
    }

    @AfterEach
    void stop() throws Exception {
        hub.close();
    }

    private byte[] parquet(String... texts) throws IOException {
        Path file = Files.createTempFile(scratch, "shard", ".parquet");
        Files.delete(file);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(SCHEMA)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (String text : texts) {
                writer.write(new SimpleGroupFactory(SCHEMA).newGroup().append("text", text));
            }
        }
        return Files.readAllBytes(file);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static List<String> texts(Dataset dataset, String column) {
        return dataset.toList().stream().map(r -> r.get(column).asText()).toList();
    }

    @Test
    void shardedParquetSplitIsDownloadedInOrderThenReadOfflineFromTheCache() throws IOException {
        hub.revision("acme/prefs", "main", COMMIT)
                .file("README.md", "# prefs".getBytes(StandardCharsets.UTF_8))
                .file("data/train_prefs-00001-of-00002.parquet", parquet("c", "d"))
                .file("data/train_prefs-00000-of-00002.parquet", parquet("a", "b"))
                .file("data/test_prefs-00000-of-00001.parquet", parquet("t"));

        Dataset train = Datasets.hub(hub.client(home, false), HubDatasetRef.parse("acme/prefs", "train_prefs"));
        assertEquals(List.of("a", "b", "c", "d"), texts(train, "text"));
        Path snapshot = home.resolve("hub/datasets--acme--prefs/snapshots/" + COMMIT);
        assertEquals(snapshot.resolve("data/train_prefs-00001-of-00002.parquet") + ":1",
                train.toList().get(2).location(), "rows name the cached file and row");
        assertTrue(hub.requests.stream().noneMatch(r -> r.contains("test_prefs") || r.contains("README")),
                () -> "unwanted downloads: " + hub.requests);

        int before = hub.requests.size();
        Dataset offline = Datasets.hub(hub.client(home, true), HubDatasetRef.parse("acme/prefs", "train_prefs"));
        assertEquals(List.of("a", "b", "c", "d"), texts(offline, "text"));
        assertEquals(before, hub.requests.size(), () -> "offline mode made requests: " + hub.requests);

        DatasetException notCached = assertThrows(DatasetException.class,
                () -> Datasets.hub(hub.client(home, true), HubDatasetRef.parse("acme/prefs", "test_prefs")));
        assertTrue(notCached.getMessage().contains("no files for split 'test_prefs'"), notCached.getMessage());
    }

    @Test
    void configFolderWithGzippedJsonLines() throws IOException {
        hub.revision("acme/hh", "main", COMMIT)
                .file("harmless-base/train.jsonl.gz", gzip("{\"chosen\":\"x\"}\n"))
                .file("harmless-base/test.jsonl.gz", gzip("{\"chosen\":\"h1\"}\n{\"chosen\":\"h2\"}\n"))
                .file("helpful-base/test.jsonl.gz", gzip("{\"chosen\":\"other\"}\n"));
        Dataset test = Datasets.hub(hub.client(home, false), HubDatasetRef.parse("acme/hh:harmless-base", "test"));
        assertEquals(List.of("h1", "h2"), texts(test, "chosen"));
        assertEquals("acme/hh:harmless-base@main[test]", test.name());
    }

    @Test
    void fallsBackToTheParquetConversionRevision() throws IOException {
        hub.revision("acme/raw", "main", COMMIT).file("raw/stuff.tar", new byte[] {1, 2, 3});
        hub.revision("acme/raw", "refs/convert/parquet", CONVERTED_COMMIT)
                .file("default/train/0000.parquet", parquet("p0"))
                .file("default/train/0001.parquet", parquet("p1"))
                .file("default/validation/0000.parquet", parquet("v"));
        Dataset train = Datasets.hub(hub.client(home, false), HubDatasetRef.of("acme/raw"));
        assertEquals(List.of("p0", "p1"), texts(train, "text"));
        assertEquals(CONVERTED_COMMIT, Files.readString(
                home.resolve("hub/datasets--acme--raw/refs/refs/convert/parquet")).strip());

        int before = hub.requests.size();
        assertEquals(List.of("p0", "p1"), texts(Datasets.hub(hub.client(home, true), HubDatasetRef.of("acme/raw")), "text"));
        assertEquals(before, hub.requests.size(), () -> "offline mode made requests: " + hub.requests);
    }

    @Test
    void missingSplitListsTheFilesFound() {
        hub.revision("acme/small", "main", COMMIT)
                .file("data/train-00000-of-00001.parquet", new byte[] {0})
                .file("README.md", new byte[] {0});
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.hub(hub.client(home, false), HubDatasetRef.parse("acme/small", "validation")));
        assertEquals("acme/small@main[validation]: no files for split 'validation' in revision main (nor in "
                + "refs/convert/parquet); files found: data/train-00000-of-00001.parquet, README.md; "
                + "revision refs/convert/parquet not found", e.getMessage());
    }

    @Test
    void missingRepositoryOrRevisionIsAHubError() {
        HubException repo = assertThrows(HubException.class,
                () -> Datasets.hub(hub.client(home, false), HubDatasetRef.of("acme/none")));
        assertEquals(HubException.Kind.REPO_NOT_FOUND, repo.kind());
        assertTrue(repo.getMessage().contains("acme/none"), repo.getMessage());
        hub.revision("acme/small", "main", COMMIT).file("data/train-00000-of-00001.parquet", new byte[] {0});
        HubException revision = assertThrows(HubException.class,
                () -> Datasets.hub(hub.client(home, false), HubDatasetRef.parse("acme/small@v9")));
        assertEquals(HubException.Kind.REVISION_NOT_FOUND, revision.kind());
    }
}
