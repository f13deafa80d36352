package dev.dpo4j.examples.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Stage} files and {@link StageRunner}: a written stage config reads back as its keys and says how
 * to rerun it; a failing command ends the workflow with the stage's name and the command's error line, and
 * {@code main} turns that into status 1 (2 for a bad command line).
 */
class StageRunnerTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    @Test
    void aStageFileReadsBackAsItsKeysAndNamesItsRerunCommand() throws Exception {
        ObjectNode keys = YAML.createObjectNode();
        keys.put("output", "/tmp/x y");
        keys.put("seed", 43);
        keys.put("threshold", "3");
        keys.putArray("input").add("a.jsonl").add("b: c.jsonl");
        keys.putObject("lora_config").put("r", 8);
        Stage stage = new Stage("data-2", List.of("data", "synth"), keys);
        Path file = stage.write(tmp.resolve("configs"), "Stage 'data-2' of a test.");
        assertEquals(keys, YAML.readTree(file.toFile()), "types survive: the text \"3\" stays text");
        String text = Files.readString(file);
        assertTrue(text.startsWith("# Stage 'data-2' of a test.\n# Rerun this stage alone with:\n#   ./dpo4j data synth --config "
                + file + "\n"), text);
        assertThrows(IllegalArgumentException.class, () -> new Stage("Bad Name", List.of("train"), keys));
    }

    @Test
    void aFailingStageNamesItselfAndTheCommandsError() throws Exception {
        Path file = tmp.resolve("se.yaml");
        Files.writeString(file, "model_id: m\noutput_dir: " + tmp.resolve("run") + "\ndata: {input: "
                + tmp.resolve("absent.jsonl") + "}\ntrain: {}\n");
        WorkflowConfig config = WorkflowConfig.read(file, StackExchangeDpo.SPEC);
        StringWriter log = new StringWriter();
        WorkflowException e = assertThrows(WorkflowException.class,
                () -> StackExchangeDpo.run(config, new PrintWriter(log, true)));
        assertEquals("data", e.stage());
        assertEquals(1, e.exitCode());
        assertTrue(e.getMessage().startsWith("stage 'data' failed (exit 1): error: "), e.getMessage());
        assertTrue(e.getMessage().contains("absent.jsonl"), e.getMessage());
        assertTrue(e.getMessage().contains("[rerun: ./dpo4j data prepare --config " + tmp.resolve("run/configs/data.yaml")),
                e.getMessage());
        // Every stage's config was written before the first ran, so the plan can be read and rerun.
        JsonNode train = YAML.readTree(tmp.resolve("run/configs/train.yaml").toFile());
        assertEquals(tmp.resolve("run/data/train.jsonl").toString(), train.get("data").asText());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = WorkflowMain.run(new String[] {"--config", file.toString()}, StackExchangeDpo.SPEC, "StackExchangeDpo",
                (c, l) -> StackExchangeDpo.run(c, l).summary(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(1, status);
        assertTrue(err.toString().startsWith("error: stage 'data' failed"), err.toString());

        StringWriter usageErr = new StringWriter();
        assertEquals(2, WorkflowMain.run(new String[] {"--config", file.toString(), "--bogus", "1"}, StackExchangeDpo.SPEC,
                "StackExchangeDpo", (c, l) -> "", new PrintWriter(new StringWriter()), new PrintWriter(usageErr, true)));
        assertTrue(usageErr.toString().contains("unknown option '--bogus'"), usageErr.toString());
        StringWriter help = new StringWriter();
        assertEquals(0, WorkflowMain.run(new String[] {"--help"}, SummarizationDpo.SPEC, "SummarizationDpo",
                (c, l) -> "", new PrintWriter(help, true), new PrintWriter(new StringWriter())));
        assertTrue(help.toString().contains("--iterations V"), help.toString());
    }

    @Test
    void theErrorLineIsTheLastErrorElseTheFirstLine() {
        assertEquals("error: b", StageRunner.errorLine("note: x\nerror: a\nwarning\nerror: b\n"));
        assertEquals("Unknown option: '--x'", StageRunner.errorLine("\nUnknown option: '--x'\nUsage: dpo4j train\n"));
        assertEquals("(no message)", StageRunner.errorLine(""));
    }
}
