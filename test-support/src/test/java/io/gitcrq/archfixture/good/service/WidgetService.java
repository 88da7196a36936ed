package io.gitcrq.archfixture.good.service;

import io.gitcrq.archfixture.good.domain.Widget;
import io.gitcrq.archfixture.good.repository.WidgetRepository;

public class WidgetService {
    private final WidgetRepository widgets;

    public WidgetService(WidgetRepository widgets) {
        this.widgets = widgets;
    }

    public Widget create(String name) {
        Widget widget = new Widget();
        widget.rename(name);
        widgets.save(widget);
        return widget;
    }
}
