/**
 * Hugging Face Hub client and local cache, compatible with Python's {@code huggingface_hub}.
 *
 * <p>{@link dev.dpo4j.core.hub.HubClient} resolves a model reference ({@code org/name},
 * {@code org/name@revision} or a local directory) to a local directory holding the model
 * files, downloading what is missing over the Hub's HTTP API with OkHttp. Files land in
 * the same cache layout as {@code huggingface_hub} ({@code models--org--name/blobs},
 * {@code snapshots/<commit>}, {@code refs/<revision>}), so a model downloaded by Python is
 * used here without a request and the other way round. Downloads resume from
 * {@code .incomplete} files with HTTP range requests, retry transient failures, and are
 * checked against the size and the sha256 the Hub announces.
 *
 * <p>Settings come from the same environment variables as in Python ({@code HF_ENDPOINT},
 * {@code HF_HOME}, {@code HF_HUB_CACHE}, {@code HF_TOKEN}, {@code HF_HUB_OFFLINE}); see
 * {@link dev.dpo4j.core.hub.HubSettings}. Failures are {@link dev.dpo4j.core.hub.HubException}s
 * whose {@link dev.dpo4j.core.hub.HubException.Kind} tells what went wrong; the access token
 * never appears in messages, logs or files.
 *
 * @see <a href="https://huggingface.co/docs/huggingface_hub/guides/manage-cache">huggingface_hub cache layout</a>
 */
package dev.dpo4j.core.hub;
