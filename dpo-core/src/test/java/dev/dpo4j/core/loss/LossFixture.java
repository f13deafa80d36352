package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.Fixtures;

/** Reads fixtures/losses/preference_losses.json (skips the calling test where it is absent). */
final class LossFixture {

    /** The parsed file. */
    final JsonNode root;

    private LossFixture(JsonNode root) {
        this.root = root;
    }

    static LossFixture load() {
        return new LossFixture(Fixtures.json("losses/preference_losses.json"));
    }

    static double[] doubles(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    double[] column(String name) {
        return doubles(root.get(name));
    }

    /** The batch's six inputs as float64 arrays of {@code manager}. */
    PreferenceLogps logps(NDManager manager) {
        return PreferenceLogps.of(manager, column("policy_chosen_logps"), column("policy_rejected_logps"),
                column("reference_chosen_logps"), column("reference_rejected_logps"),
                column("chosen_len"), column("rejected_len"));
    }

    JsonNode cases() {
        return root.get("cases");
    }

    static LossSettings settings(JsonNode c) {
        return new LossSettings(c.get("beta").asDouble(), c.get("label_smoothing").asDouble(),
                c.get("discopop_tau").asDouble());
    }
}
