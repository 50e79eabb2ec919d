package io.llmrouter.internal;

/**
 * How the model groups' queues of requests waiting for capacity are bounded.
 *
 * @param maxQueued the most requests one group's queue holds; a newcomer beyond it is refused
 * @param maxOvertakes how many requests may go ahead of the longest-waiting one
 */
public record QueueSettings(int maxQueued, int maxOvertakes) {

    public static final QueueSettings DEFAULTS = new QueueSettings(io.llmrouter.Router.DEFAULT_MAX_QUEUED_REQUESTS,
            io.llmrouter.Router.DEFAULT_MAX_OVERTAKES);
}
