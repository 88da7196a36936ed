package io.gitcrq.execagent.recording;

import java.nio.file.Path;

/** An exec's asciicast v2 file and the hex SHA-256 of its bytes. */
public record Recording(Path path, String sha256) {}
