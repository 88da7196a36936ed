package io.gitcrq.kit.delivery;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that handles a record of a Kafka channel ({@link DeliveryGuard}): while the service stops it takes no
 * new record (the record stays uncommitted and is delivered again after the restart), and a failure of the database or
 * of another part of the infrastructure is retried with backoff instead of sending a valid record to the dead-letter
 * topic. Put it beside {@code @Incoming}; it runs outside the method's transaction, so each try is a new one.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface GuardedDelivery {}
