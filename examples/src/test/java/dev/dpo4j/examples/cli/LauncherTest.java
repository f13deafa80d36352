package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the real {@code ./dpo4j} script decides, run as a subprocess in its dry-run mode
 * ({@code DPO4J_DRY_RUN=1}: it prints the environment and the java command, one argument a line,
 * and skips its build check, so these tests need no jar): which libtorch goes on the class path,
 * whether DJL is kept offline, and the TF32 default.
 */
class LauncherTest {
    private static final String OFFLINE = "-Dai.djl.offline=true";
    private static final String NATIVE_CPU = "/examples/target/native-cpu/*";

    /** The launcher at the repository root; tests run in the module folder. */
    private static Path script;

    @TempDir
    Path tmp;

    /** The launcher's exit status, the lines it printed, and its error output. */
    record Run(int status, List<String> lines, String err) {
        String classPath() {
            return lines.get(lines.indexOf("-cp") + 1);
        }

        boolean offline() {
            return lines.contains(OFFLINE);
        }

        boolean cpuBuild() {
            return classPath().endsWith(NATIVE_CPU);
        }

        String tf32() {
            return lines.stream().filter(l -> l.startsWith("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE="))
                    .findFirst().orElseThrow().substring("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=".length());
        }
    }

    @BeforeAll
    static void findScript() {
        script = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("dpo4j");
        assertTrue(Files.isRegularFile(script), "no launcher at " + script);
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "no bash on this system: launcher not tested");
    }

    /** Runs the launcher in dry-run mode with a clean environment plus {@code env}. */
    private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("DPO4J_") || k.startsWith("PYTORCH_")
                || k.equals("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"));
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("DPO4J_DRY_RUN", "1");
        e.putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher did not finish");
        return new Run(p.exitValue(), List.of(new String(out, StandardCharsets.UTF_8).split("\n")),
                new String(err, StandardCharsets.UTF_8));
    }

    private static Run launch(String... args) throws IOException, InterruptedException {
        return launch(Map.of(), args);
    }

    @Test
    void cpuRunUsesTheBundledCpuBuildOffline() throws Exception {
        Run r = launch("logprobs", "--model", "m", "--input", "in.jsonl");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err(), "a dry run builds nothing and says nothing on stderr");
        assertTrue(r.cpuBuild(), r.classPath());
        assertTrue(r.offline(), r.lines().toString());
        assertEquals(List.of("dev.dpo4j.examples.cli.Dpo4jCli", "logprobs", "--model", "m", "--input", "in.jsonl"),
                r.lines().subList(r.lines().size() - 6, r.lines().size()), "arguments pass through unchanged");
        assertEquals("1", r.tf32(), "TF32 on by default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--device gpu", "--device=gpu", "--device=gpu:0", "--device gpu:1", "--device cuda"})
    void gpuDeviceLeavesTheCpuBuildOffAndAllowsTheDownload(String flags) throws Exception {
        Run r = launch(("train " + flags).split(" "));
        assertEquals(0, r.status(), r.err());
        assertFalse(r.cpuBuild(), r.classPath());
        assertFalse(r.classPath().contains("native-cpu"), r.classPath());
        assertFalse(r.offline(), "DJL must be free to download its CUDA build: " + r.lines());
    }

    @Test
    void configWithGpuDeviceInASectionIsAGpuRun() throws Exception {
        Path config = tmp.resolve("workflow.yaml");
        Files.writeString(config, "# device: cpu is the default\nmodel_id: m\ntrain:\n  beta: 0.1\n  device: \"gpu:0\"\n");
        Run r = launch("train", "--config", config.toString());
        assertFalse(r.cpuBuild(), r.classPath());
        assertFalse(r.offline());
        Run eq = launch("train", "--config=" + config);
        assertFalse(eq.cpuBuild(), eq.classPath());

        // --device on the command line overrides the file, as it does in the CLI.
        Run cpu = launch("train", "--config", config.toString(), "--device", "cpu");
        assertTrue(cpu.cpuBuild(), cpu.classPath());
        assertTrue(cpu.offline());

        Path cpuConfig = tmp.resolve("cpu.yaml");
        Files.writeString(cpuConfig, "device: cpu   # gpu or gpu:N on CUDA\n");
        assertTrue(launch("train", "--config", cpuConfig.toString()).cpuBuild());
    }

    @Test
    void dpo4jTorchOverridesTheGuess() throws Exception {
        Run cuda = launch(Map.of("DPO4J_TORCH", "cuda"), "logprobs", "--model", "m");
        assertFalse(cuda.cpuBuild(), cuda.classPath());
        assertFalse(cuda.offline());

        Run cpu = launch(Map.of("DPO4J_TORCH", "cpu"), "logprobs", "--device", "gpu");
        assertTrue(cpu.cpuBuild(), cpu.classPath());
        assertTrue(cpu.offline());

        Run bad = launch(Map.of("DPO4J_TORCH", "rocm"), "logprobs");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("DPO4J_TORCH must be cpu, cuda or auto"), bad.err());
    }

    @Test
    void gpuRunWithPytorchLibraryPathStaysOffline() throws Exception {
        Run r = launch(Map.of("PYTORCH_LIBRARY_PATH", "/opt/torch/lib"), "train", "--device", "gpu");
        assertFalse(r.cpuBuild(), r.classPath());
        assertTrue(r.offline(), "nothing to download when the user names a libtorch: " + r.lines());
    }

    @Test
    void userOptionsComeAfterTheDefaults() throws Exception {
        Run r = launch(Map.of("DPO4J_JAVA_OPTS", "-Dai.djl.offline=false -Xmx2g"), "logprobs");
        List<String> lines = r.lines();
        assertTrue(lines.indexOf(OFFLINE) < lines.indexOf("-Dai.djl.offline=false"),
                "the user's -D comes later, so it wins: " + lines);
        assertTrue(lines.contains("-Xmx2g"));
    }

    @Test
    void userTf32ValueIsKept() throws Exception {
        assertEquals("0", launch(Map.of("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "0"), "train", "--device", "gpu").tf32());
        assertEquals("1", launch("train", "--device", "gpu").tf32());
    }
}
