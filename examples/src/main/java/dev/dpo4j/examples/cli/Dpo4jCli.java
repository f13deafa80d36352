package dev.dpo4j.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code dpo4j} command line. Each subcommand takes flags and, with {@code --config FILE}, a YAML
 * file whose keys are the flags' names in snake case (e.g. {@code max_new_tokens: 64}); flags given on
 * the command line win over the file.
 */
@Command(name = "dpo4j", mixinStandardHelpOptions = true, version = "dpo4j 0.1.0-SNAPSHOT",
        description = "Preference tuning of Hugging Face decoder models (DPO + LoRA) on DJL.",
        subcommands = {DataCommand.class, EvaluateCommand.class, GenerateCommand.class, LogprobsCommand.class,
            MergeCommand.class, QuickstartCommand.class, TrainCommand.class,
            CommandLine.HelpCommand.class})
public final class Dpo4jCli implements Runnable {
    /** Exit status: success. */
    public static final int OK = 0;
    /** Exit status: an error stopped the command. */
    public static final int FAILED = 1;
    /** Exit status: the command line or config was wrong. */
    public static final int USAGE = 2;
    /** Exit status: the run finished but every request failed, so nothing usable was produced. */
    public static final int NOTHING_PRODUCED = 3;

    /**
     * Runs the CLI and exits with its status.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns its exit status: {@value #OK} success (a partial failure, counted in the output,
     * included), {@value #FAILED} an error, {@value #USAGE} a usage error, {@value #NOTHING_PRODUCED} a run
     * that finished but produced nothing usable because every request failed ({@code evaluate},
     * {@code data synth}).
     *
     * @param args command-line arguments
     * @return the exit status
     */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs the CLI with the given output streams (tests capture them).
     *
     * @param out standard output
     * @param err standard error
     * @param args command-line arguments
     * @return the exit status
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Dpo4jCli());
        cli.setOut(out);
        cli.setErr(err);
        try {
            cli.setDefaultValueProvider(YamlDefaults.fromArgs(args));
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter errors = commandLine.getErr();
            errors.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (System.getenv("DPO4J_DEBUG") != null) {
                ex.printStackTrace(errors);
            }
            errors.flush();
            return 1;
        });
        return cli.execute(args);
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
