package dev.dpo4j.examples.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.PeftAdapters;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's Java API program runs as shown, offline, on the stories260K fixture. */
class JavaApiExampleTest {

    @TempDir
    Path tmp;

    @Test
    void theReadmeProgramRunsEndToEnd() throws Exception {
        Path pairs = Files.writeString(tmp.resolve("pairs.jsonl"),
                "{\"prompt\":\"Once upon a time\",\"chosen\":\" there was a cat.\",\"rejected\":\" the end.\"}\n"
                        + "{\"prompt\":\"The dog\",\"chosen\":\" ran to the park.\",\"rejected\":\" sat.\"}\n");
        Path out = tmp.resolve("out");
        JavaApiExample.main(new String[] {Fixtures.path("real/models/stories260K").toString(), pairs.toString(),
                out.toString()});
        assertTrue(Files.isRegularFile(out.resolve("dpo").resolve(PeftAdapters.WEIGHTS_FILE)));
        JsonNode report = new ObjectMapper().readTree(out.resolve("eval/report.json").toFile());
        assertEquals(2, report.get("contenders").size());
        assertEquals(2, report.get("examples").asInt());
        assertTrue(report.at("/contenders/1/model").asText().endsWith("+ adapter"));
    }
}
