package io.gitcrq.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.cli.process.CliFailure;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Plays an <a href="https://docs.asciinema.org/manual/asciicast/v2/">asciicast v2</a> recording: each output
 * event's text written as it was recorded, after the pause before it, divided by the speed and cut to the
 * longest pause allowed. Events of other kinds (input, resize, markers) are passed over.
 */
public final class CastPlayer {

    /** Waits; tests give one that only notes the pauses. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    public static final Sleeper REAL = pause -> Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);

    private final double speed;
    private final Duration maxWait;
    private final Sleeper sleeper;

    /**
     * @param speed   playback speed (2: twice as fast); above 0
     * @param maxWait the longest pause, after the speed is applied; null: no limit
     */
    public CastPlayer(double speed, Duration maxWait, Sleeper sleeper) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a number above 0, not " + speed);
        }
        this.speed = speed;
        this.maxWait = maxWait;
        this.sleeper = sleeper;
    }

    /** The header of {@code cast} (its first line), checked to be asciicast version 2. */
    public static JsonNode header(String cast) {
        int end = cast.indexOf('\n');
        String first = (end < 0 ? cast : cast.substring(0, end)).trim();
        JsonNode header;
        try {
            header = first.isEmpty() ? null : Json.MAPPER.readTree(first);
        } catch (JsonProcessingException e) {
            header = null;
        }
        if (header == null || !header.isObject() || header.path("version").asInt() != 2) {
            throw new CliFailure(CliFailure.FAILED, "not an asciicast v2 recording (its first line is no v2 header)");
        }
        return header;
    }

    /** Plays {@code cast} to {@code out}, flushing after each event. */
    public void play(String cast, PrintWriter out) throws InterruptedException {
        header(cast);
        String[] lines = cast.split("\n");
        double previous = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode event = event(line, i + 1);
            if (!"o".equals(event.get(1).asText())) {
                continue;
            }
            double time = event.get(0).asDouble();
            pause(time - previous);
            previous = Math.max(previous, time);
            out.print(event.get(2).asText());
            out.flush();
        }
    }

    /** The pause before an event {@code recorded} seconds after the one before, as played. */
    Duration pauseFor(double recorded) {
        if (!(recorded > 0)) {
            return Duration.ZERO;
        }
        Duration pause = Duration.ofNanos(Math.round(recorded / speed * 1e9));
        return maxWait != null && pause.compareTo(maxWait) > 0 ? maxWait : pause;
    }

    private void pause(double recorded) throws InterruptedException {
        Duration pause = pauseFor(recorded);
        if (!pause.isZero()) {
            sleeper.sleep(pause);
        }
    }

    private static JsonNode event(String line, int number) {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            event = null;
        }
        if (event == null
                || !event.isArray()
                || event.size() < 3
                || !event.get(0).isNumber()
                || !event.get(1).isTextual()
                || !event.get(2).isTextual()) {
            throw new CliFailure(
                    CliFailure.FAILED,
                    "line " + number + " of the recording is no asciicast event " + "([seconds, type, data])");
        }
        return event;
    }
}
