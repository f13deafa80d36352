package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that finishes with nothing usable because every request failed exits {@link Dpo4jCli#NOTHING_PRODUCED},
 * so a script can tell it from a success: {@code evaluate} against an endpoint that refuses every request,
 * and {@code data synth} with a judge that does.
 */
class ExitCodesTest {

    @TempDir
    Path tmp;

    private static MockWebServer refusingEverything() throws Exception {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(403).setBody("{\"error\":{\"message\":\"forbidden\"}}");
            }
        });
        server.start();
        return server;
    }

    @Test
    void evaluateWhoseRequestsAllFailExitsThree() throws Exception {
        Path input = Files.writeString(tmp.resolve("prompts.jsonl"),
                "{\"id\":\"p1\",\"prompt\":\"Say hi.\",\"reference\":\"Hi.\"}\n"
                        + "{\"id\":\"p2\",\"prompt\":\"Say bye.\",\"reference\":\"Bye.\"}\n");
        try (MockWebServer api = refusingEverything()) {
            EvaluateCommandTest.Result r = EvaluateCommandTest.cli(List.of("evaluate", "--task", "instruction",
                    "--input", input.toString(), "--no-base", "--endpoint",
                    "api=m@" + api.url("/v1").toString(), "--api-key-env", "DPO4J_TEST_UNSET_KEY",
                    "--output", tmp.resolve("eval").toString()));
            assertEquals(Dpo4jCli.NOTHING_PRODUCED, r.code(), r.err());
            assertTrue(r.err().contains("every generation request failed"), r.err());
        }
    }

    @Test
    void dataSynthWhoseJudgeRefusesEverythingExitsThree() throws Exception {
        Path articles = Files.writeString(tmp.resolve("articles.jsonl"),
                "{\"id\":\"a1\",\"article\":\"The cat sat on the mat all day long.\"}\n"
                        + "{\"id\":\"a2\",\"article\":\"The dog ran to the park in the rain.\"}\n");
        try (MockWebServer judge = refusingEverything()) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = Dpo4jCli.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "data", "synth",
                    "--input", articles.toString(), "--output", tmp.resolve("synth").toString(),
                    "--writer-model", dev.dpo4j.core.Fixtures.path("real/models/stories260K").toString(),
                    "--max-tokens", "8", "--candidates", "2", "--judge-url", judge.url("/v1").toString(),
                    "--judge-model", "j", "--api-key-env", "DPO4J_TEST_UNSET_KEY", "--max-attempts", "1");
            assertEquals(Dpo4jCli.NOTHING_PRODUCED, code, out + "\n" + err);
            assertTrue(err.toString().contains("no pairs"), err.toString());
        }
    }
}
