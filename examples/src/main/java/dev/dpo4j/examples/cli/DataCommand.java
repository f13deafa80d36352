package dev.dpo4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dpo4j data}: build preference data ({@code prepare} existing sets, {@code synth} new ones). */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Build preference data: convert and filter existing sets (prepare) or make synthetic "
                + "pairs scored by an LLM judge (synth).",
        subcommands = {DataPrepareCommand.class, DataSynthCommand.class, CommandLine.HelpCommand.class})
final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
