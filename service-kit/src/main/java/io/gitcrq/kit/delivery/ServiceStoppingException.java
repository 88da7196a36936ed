package io.gitcrq.kit.delivery;

/** A record arrived after the service began to stop: not handled, not committed, delivered again after the restart. */
public class ServiceStoppingException extends RuntimeException {
    public ServiceStoppingException(String channelMethod) {
        super("the service is stopping: " + channelMethod + " takes no more records");
    }
}
