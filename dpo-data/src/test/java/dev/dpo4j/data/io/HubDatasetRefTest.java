package dev.dpo4j.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dpo4j.core.hub.HubException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing Hub dataset references and finding a split's files among a repository's files. */
class HubDatasetRefTest {

    @Test
    void parsesIdConfigAndRevision() {
        assertEquals(new HubDatasetRef("abisee/cnn_dailymail", "3.0.0", "test", "main"),
                HubDatasetRef.parse("abisee/cnn_dailymail:3.0.0", "test"));
        assertEquals(new HubDatasetRef("org/name", null, "train", "v1.0"), HubDatasetRef.parse(" org/name@v1.0 "));
        assertEquals(new HubDatasetRef("org/name", "cfg", "train", "refs/convert/parquet"),
                HubDatasetRef.parse("org/name:cfg@refs/convert/parquet"));
        HubDatasetRef plain = HubDatasetRef.of("org/name");
        assertNull(plain.config());
        assertEquals("org/name@main[train]", plain.toString());
        assertEquals("org/name:c@dev[test]", plain.withConfig("c").withRevision("dev").withSplit("test").toString());
    }

    @Test
    void rejectsMalformedReferences() {
        assertThrows(IllegalArgumentException.class, () -> HubDatasetRef.parse("org/name:"));
        assertThrows(IllegalArgumentException.class, () -> HubDatasetRef.parse("org/name@"));
        assertThrows(IllegalArgumentException.class, () -> HubDatasetRef.parse(":cfg"));
        assertThrows(IllegalArgumentException.class, () -> HubDatasetRef.parse("org/name", "a/b"));
        assertThrows(HubException.class, () -> HubDatasetRef.parse("org//name"));
    }

    @Test
    void findsTheUsualLayouts() {
        List<String> ultrafeedback = List.of("README.md", "data/test_prefs-00000-of-00001.parquet",
                "data/train_prefs-00001-of-00002.parquet", "data/train_prefs-00000-of-00002.parquet",
                "data/train_sft-00000-of-00001.parquet");
        assertEquals(List.of("data/train_prefs-00000-of-00002.parquet", "data/train_prefs-00001-of-00002.parquet"),
                HubDatasetFiles.match(ultrafeedback, null, "train_prefs"));
        assertEquals(List.of(), HubDatasetFiles.match(ultrafeedback, null, "train"), "train is not train_prefs");

        List<String> cnn = List.of("1.0.0/test-00000-of-00001.parquet", "3.0.0/test-00000-of-00001.parquet",
                "3.0.0/train-00000-of-00003.parquet");
        assertEquals(List.of("3.0.0/test-00000-of-00001.parquet"), HubDatasetFiles.match(cnn, "3.0.0", "test"));
        assertEquals(List.of(), HubDatasetFiles.match(cnn, "2.0.0", "test"), "a named config does not fall back");

        List<String> hh = List.of("harmless-base/test.jsonl.gz", "harmless-base/train.jsonl.gz", "test.jsonl.gz");
        assertEquals(List.of("harmless-base/test.jsonl.gz"), HubDatasetFiles.match(hh, "harmless-base", "test"));
        assertEquals(List.of("test.jsonl.gz"), HubDatasetFiles.match(hh, null, "test"));

        List<String> converted = List.of("default/train/0000.parquet", "default/train/0001.parquet",
                "default/partial-test/0000.parquet");
        assertEquals(List.of("default/train/0000.parquet", "default/train/0001.parquet"),
                HubDatasetFiles.match(converted, "default", "train"));
        assertEquals(List.of("default/partial-test/0000.parquet"), HubDatasetFiles.match(converted, "default", "test"));

        List<String> mixed = List.of("train.csv", "train.parquet", "validation/a.json", "validation/b.json");
        assertEquals(List.of("train.parquet"), HubDatasetFiles.match(mixed, null, "train"), "Parquet preferred");
        assertEquals(List.of("validation/a.json", "validation/b.json"), HubDatasetFiles.match(mixed, null, "validation"));
    }
}
