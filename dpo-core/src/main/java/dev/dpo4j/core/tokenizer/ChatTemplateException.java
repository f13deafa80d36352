package dev.dpo4j.core.tokenizer;

/**
 * A chat template could not be prepared or rendered: the template called
 * {@code raise_exception(message)} (for example on an unsupported role order), used a construct
 * the Jinja engine does not provide, or failed to evaluate.
 */
public class ChatTemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong; for {@code raise_exception} the template's own message
     */
    public ChatTemplateException(String message) {
        super(message);
    }
}
