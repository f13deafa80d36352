package dev.dpo4j.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The claim of {@link Tf32}'s Javadoc, checked against the real libtorch in fresh JVMs (ATen's
 * context is created once per process, so this cannot run in the test JVM): a value set after the
 * engine loads but before the first {@code NDManager} and tensor operation reaches libtorch; one set
 * after them does not.
 * libtorch's CPU build keeps the flag though it never uses it, so this runs without a GPU.
 */
class Tf32TimingTest {

    private static String probe(String when) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
                Tf32Probe.class.getName(), when));
        pb.environment().remove(Tf32.VARIABLE);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        assumeTrue(p.exitValue() != 3, "this libtorch does not export at::Context::allowTF32CuBLAS: " + out);
        assertEquals(0, p.exitValue(), out);
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void configureBeforeTheFirstOperationReachesLibtorch() throws Exception {
        assertEquals("allowTF32CuBLAS=true enabled=true", probe("before-op"));
    }

    @Test
    void configureAfterTheFirstOperationIsTooLate() throws Exception {
        // The variable is set (enabled() reads it) but libtorch read it already.
        assertEquals("allowTF32CuBLAS=false enabled=true", probe("after-op"));
    }
}
