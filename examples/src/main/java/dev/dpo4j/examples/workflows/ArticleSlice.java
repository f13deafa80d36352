package dev.dpo4j.examples.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.hub.HubClient;
import dev.dpo4j.core.hub.HubSettings;
import dev.dpo4j.core.io.AtomicFiles;
import dev.dpo4j.core.io.JsonlWriter;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.Datasets;
import dev.dpo4j.data.io.HubDatasetRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fresh slice of a {@code data} section's rows for one iteration of iterative DPO: rows
 * {@code [from, from + count)} of the section's {@code input} files or Hub {@code dataset}/{@code split},
 * written as JSONL, so each iteration samples and judges articles the earlier ones did not see. The
 * same slice is written on a rerun, so {@code data synth}'s journals resume it.
 */
final class ArticleSlice {
    private ArticleSlice() {
    }

    /**
     * Writes a slice.
     *
     * @param data the {@code data} section (its {@code input} or {@code dataset}/{@code split})
     * @param from the first row
     * @param count rows to write
     * @param out the JSONL file to write
     * @return rows written (fewer than {@code count} only at the end of the input)
     * @throws IOException if the rows cannot be read or written
     * @throws IllegalArgumentException when the input holds no row at {@code from}
     */
    static long write(ObjectNode data, long from, long count, Path out) throws IOException {
        Dataset rows = open(data).select(from, from + count);
        try (AtomicFiles.Staged temp = AtomicFiles.stage(out)) {
            long written;
            try (JsonlWriter writer = JsonlWriter.create(temp.path()); Stream<DataRow> stream = rows.stream()) {
                stream.forEach(r -> writer.write(r.value()));
                written = writer.rowsWritten();
            }
            if (written == 0) {
                throw new IllegalArgumentException(rows.name() + ": no rows from row " + from + " on; iterative DPO"
                        + " reads " + count + " fresh rows per iteration (data.limit), so the input needs more rows or"
                        + " fewer iterations");
            }
            temp.commit();
            return written;
        }
    }

    private static Dataset open(ObjectNode data) {
        JsonNode dataset = data.get("dataset");
        if (dataset != null && !dataset.isNull()) {
            String split = data.hasNonNull("split") ? data.get("split").asText() : HubDatasetRef.DEFAULT_SPLIT;
            return Datasets.hub(new HubClient(HubSettings.fromEnvironment()), HubDatasetRef.parse(dataset.asText(), split));
        }
        List<Path> files = new ArrayList<>();
        JsonNode input = data.get("input");
        if (input != null && input.isArray()) {
            input.forEach(v -> addFiles(files, v.asText()));
        } else if (input != null && !input.isNull()) {
            addFiles(files, input.asText());
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the data section names neither input nor dataset");
        }
        return files.size() == 1 ? Datasets.open(files.get(0))
                : Datasets.open(String.join(",", files.stream().map(Path::toString).toList()), files);
    }

    private static void addFiles(List<Path> files, String commaSeparated) {
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                files.add(Path.of(part.strip()));
            }
        }
    }
}
