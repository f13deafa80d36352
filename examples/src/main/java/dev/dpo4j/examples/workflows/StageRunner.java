package dev.dpo4j.examples.workflows;

import dev.dpo4j.examples.cli.Dpo4jCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a workflow's stages through the real {@code dpo4j} command line, in-process
 * ({@link Dpo4jCli#run(PrintWriter, PrintWriter, String...)}): each stage's config is written to
 * {@code <output_dir>/configs/<stage>.yaml} and the command is run with {@code --config} that file, so a
 * stage behaves exactly as it does when a user types the command, resume included. The command's
 * output goes to the log; a non-zero status ends the workflow with a {@link WorkflowException} that
 * carries the command's error line.
 */
public final class StageRunner {
    private final WorkflowConfig config;
    private final PrintWriter log;
    private final List<StageRun> runs = new ArrayList<>();

    /**
     * Creates a runner.
     *
     * @param config the workflow's config (run folder, names)
     * @param log where the stages' output goes
     */
    public StageRunner(WorkflowConfig config, PrintWriter log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Writes the config files of all stages up front, so the whole plan can be read (and any stage rerun)
     * while the first one runs.
     *
     * @param stages the planned stages
     * @throws WorkflowException if a file cannot be written
     */
    public void writeAll(List<Stage> stages) {
        for (Stage s : stages) {
            write(s);
        }
    }

    /**
     * Writes a stage's config and runs its command.
     *
     * @param stage the stage
     * @return what ran
     * @throws WorkflowException when the command ends with a non-zero status
     */
    public StageRun run(Stage stage) {
        Path file = write(stage);
        log.printf(Locale.ROOT, "%n== %s: %s%n", stage.name(), stage.commandLine(file));
        log.flush();
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        long start = System.nanoTime();
        int status;
        try (PrintWriter out = new PrintWriter(new Tee(stdout, log), true);
             PrintWriter err = new PrintWriter(new Tee(stderr, log), true)) {
            status = Dpo4jCli.run(out, err, stage.args(file));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status != 0) {
            throw new WorkflowException(stage.name(), status, errorLine(stderr.toString()), stage.commandLine(file));
        }
        StageRun run = new StageRun(stage.name(), stage.command(), file, seconds, stdout.toString());
        runs.add(run);
        return run;
    }

    /**
     * The stages run so far.
     *
     * @return a copy, in order
     */
    public List<StageRun> runs() {
        return List.copyOf(runs);
    }

    /**
     * The common part of the workflow's result.
     *
     * @return the workflow's name, run name, folder and the stages run so far
     */
    public WorkflowResult result() {
        return new WorkflowResult(config.spec().name(), config.runName(), config.outputDir(), runs);
    }

    private Path write(Stage stage) {
        Path file = stage.configFile(config.configsDir());
        try {
            return stage.write(config.configsDir(), "Stage '" + stage.name() + "' of workflow " + config.spec().name()
                    + ", run '" + config.runName() + "' (from " + config.file() + ").");
        } catch (IOException e) {
            throw new WorkflowException(stage.name(), "cannot write the stage config", file, e);
        }
    }

    /** The command's error line: its last {@code error: …} line, else its first non-blank line. */
    static String errorLine(String stderr) {
        String first = null;
        String error = null;
        for (String line : stderr.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            if (first == null) {
                first = line.strip();
            }
            if (line.startsWith("error: ")) {
                error = line.strip();
            }
        }
        return error != null ? error : first != null ? first : "(no message)";
    }

    /** Writes to a capture and to the log. */
    private static final class Tee extends Writer {
        private final Writer capture;
        private final Writer log;

        Tee(Writer capture, Writer log) {
            this.capture = capture;
            this.log = log;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            capture.write(buf, off, len);
            log.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            capture.flush();
            log.flush();
        }

        @Override
        public void close() throws IOException {
            flush(); // the log belongs to the caller and stays open
        }
    }
}
