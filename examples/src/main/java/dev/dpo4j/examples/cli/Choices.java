package dev.dpo4j.examples.cli;

import dev.dpo4j.core.loss.LossType;
import dev.dpo4j.core.optim.LrSchedulerType;
import dev.dpo4j.core.optim.OptimizerType;
import dev.dpo4j.data.format.PreferenceFormats;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The names an option takes, read from the registry that checks them, for picocli's
 * {@code completionCandidates} and the {@code ${COMPLETION-CANDIDATES}} of a help text: the help can
 * never fall behind what the code accepts.
 */
final class Choices {

    private Choices() {
    }

    /** {@link LossType#names()}: TRL's {@code loss_type} values. */
    static final class LossTypes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return LossType.names().iterator();
        }
    }

    /** {@link OptimizerType#names()}. */
    static final class Optimizers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return OptimizerType.names().iterator();
        }
    }

    /** {@link LrSchedulerType#names()}. */
    static final class LrSchedulers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return LrSchedulerType.names().iterator();
        }
    }

    /** {@code auto} and {@link PreferenceFormats#names()}: the preference row layouts. */
    static final class Layouts implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>(List.of(TrainData.AUTO));
            names.addAll(PreferenceFormats.names());
            return names.iterator();
        }
    }
}
