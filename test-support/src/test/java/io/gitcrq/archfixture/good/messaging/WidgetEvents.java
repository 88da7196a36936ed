package io.gitcrq.archfixture.good.messaging;

import io.gitcrq.archfixture.good.service.WidgetService;
import org.apache.kafka.clients.consumer.ConsumerRecord;

public class WidgetEvents {
    private final WidgetService service;

    public WidgetEvents(WidgetService service) {
        this.service = service;
    }

    public void onCreated(ConsumerRecord<String, String> record) {
        service.create(record.value());
    }
}
