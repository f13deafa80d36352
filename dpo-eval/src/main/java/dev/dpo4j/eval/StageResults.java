package dev.dpo4j.eval;

import dev.dpo4j.data.synth.Judgement;
import dev.dpo4j.data.synth.QuestionSet;
import java.util.Map;

/**
 * Everything the stages produced (journaled earlier or asked now), from which the report is
 * computed.
 *
 * @param questions question sets by article id (empty when QA is off)
 * @param generations per contender name, outputs by item id
 * @param judgements per contender name, QA judgements by item id (empty when QA is off)
 * @param verdicts per pair, both orders' verdicts by item id
 */
record StageResults(Map<String, Journaled<QuestionSet>> questions,
        Map<String, Map<String, Journaled<Generation>>> generations,
        Map<String, Map<String, Journaled<Judgement>>> judgements,
        Map<EvalSettings.Pair, Map<String, Journaled<PairVerdicts>>> verdicts) {
}
