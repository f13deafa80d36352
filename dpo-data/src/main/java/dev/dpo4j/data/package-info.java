/**
 * Preference data: dataset readers and writers, format adapters into preference pairs, the
 * {@code PreferenceDataset} builder and the synthetic judge pipeline (issue #4). This module builds on
 * {@code dpo-core}; its classes land with that issue.
 */
package dev.dpo4j.data;
