package io.gitcrq.kit.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * One gauge per value of an enum (a state, a status), labelled with the value in lower case, set together from a
 * count per value (a query's GROUP BY); NaN until the first count and after a failed one.
 */
public final class StateGauges<E extends Enum<E>> {

    private final Map<E, Double> values;

    public StateGauges(MeterRegistry registry, String name, String description, String label, Class<E> type) {
        this.values = new EnumMap<>(type);
        for (E value : type.getEnumConstants()) {
            values.put(value, Double.NaN);
            Gauge.builder(name, values, m -> m.get(value))
                    .description(description)
                    .tag(label, value.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /** Every value's count; a value missing from {@code counts} has none (0). */
    public void set(Map<E, Long> counts) {
        values.replaceAll((value, old) -> counts.getOrDefault(value, 0L).doubleValue());
    }

    /** The counts could not be measured. */
    public void unknown() {
        values.replaceAll((value, old) -> Double.NaN);
    }
}
