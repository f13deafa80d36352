package dev.dpo4j.examples.workflows;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * What every workflow's {@code main} does: parse {@code --config FILE} and the overrides, read and check
 * the config, run, print the result's summary; an error is one line on stderr and a non-zero status
 * (2 for a bad command line or config, 1 for a failed stage).
 */
final class WorkflowMain {
    /** A workflow's run, returning its summary. */
    interface Body {
        /**
         * Runs the workflow.
         *
         * @param config the checked config
         * @param log where stage output goes
         * @return the summary to print
         * @throws IOException if a result file cannot be read
         */
        String run(WorkflowConfig config, PrintWriter log) throws IOException;
    }

    private WorkflowMain() {
    }

    /**
     * Runs a workflow from its command line.
     *
     * @param args the arguments
     * @param spec the workflow
     * @param mainClass the class name for the usage text
     * @param body the workflow's run
     * @param out standard output
     * @param err standard error
     * @return the exit status: 0 done, 1 a stage failed, 2 a bad command line or config
     */
    static int run(String[] args, WorkflowSpec spec, String mainClass, Body body, PrintWriter out, PrintWriter err) {
        WorkflowConfig config;
        try {
            WorkflowArgs parsed = WorkflowArgs.parse(args, spec);
            if (parsed.help()) {
                out.print(WorkflowArgs.usage(spec, mainClass));
                out.flush();
                return 0;
            }
            config = WorkflowConfig.load(parsed, spec);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        try {
            String summary = body.run(config, out);
            out.println();
            out.println(summary);
            out.flush();
            return 0;
        } catch (WorkflowException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * Runs a workflow on the process's streams and exits with its status.
     *
     * @param args the arguments
     * @param spec the workflow
     * @param mainClass the class name for the usage text
     * @param body the workflow's run
     */
    static void exit(String[] args, WorkflowSpec spec, String mainClass, Body body) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, spec, mainClass, body, out, err));
    }
}
