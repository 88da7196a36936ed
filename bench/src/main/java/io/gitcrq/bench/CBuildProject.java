package io.gitcrq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A generated C project for P5: {@code files} translation units compiled with {@code make -j2} into {@code obj/} and
 * archived into {@code libbench.a}. Each unit is a few small functions over the standard headers, so a compile
 * costs what a real one does (preprocessing stdio/string/stdlib, optimising): many short processes (gcc, cc1, as
 * for each file) and many files written, which is what process and file auditing pay for.
 */
final class CBuildProject {

    private CBuildProject() {}

    /** Writes the project into {@code dir} (emptied first); its sources are the same for the same {@code files}. */
    static void write(Path dir, int files) throws IOException {
        BenchGit.deleteTree(dir);
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(
                dir.resolve("src/common.h"), "#ifndef COMMON_H\n#define COMMON_H\nint bench_version(void);\n#endif\n");
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve(String.format(Locale.ROOT, "src/mod_%04d.c", i)), unit(i));
        }
        // clean keeps obj/: the build then writes into a directory that exists (and that the file source watches
        // from the start), as an incremental build tree does.
        Files.writeString(dir.resolve("Makefile"), """
                SRCS := $(wildcard src/*.c)
                OBJS := $(SRCS:src/%.c=obj/%.o)
                CFLAGS := -O2 -Wall -MMD
                all: libbench.a
                obj/%.o: src/%.c
                \t$(CC) $(CFLAGS) -c $< -o $@
                libbench.a: $(OBJS)
                \tar rcs $@ $^
                clean:
                \trm -f obj/*.o obj/*.d libbench.a
                .PHONY: all clean
                """);
        Files.createDirectories(dir.resolve("obj"));
    }

    private static String unit(int i) {
        return """
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include "common.h"

                static int table_%1$d[64];

                struct item_%1$d { int key; char name[32]; double weight; };

                int mod_%1$d_mix(int x) {
                    int s = 0;
                    for (int k = 0; k < 64; k++) {
                        table_%1$d[k] = (x * k) ^ (k << 3);
                        s += table_%1$d[k] %% 7;
                    }
                    return s;
                }

                double mod_%1$d_grow(double v, int n) {
                    double r = v;
                    for (int k = 1; k <= n; k++) {
                        r = r * 1.0001 + (double) k / (k + 3);
                        if (r > 1e6) {
                            r = r / 3.0;
                        }
                    }
                    return r;
                }

                void mod_%1$d_describe(char *buf, size_t len) {
                    snprintf(buf, len, "module %1$d: %%d %%.3f", mod_%1$d_mix((int) len), mod_%1$d_grow(1.5, 10));
                }

                int mod_%1$d_best(const struct item_%1$d *items, int n) {
                    int best = 0;
                    for (int k = 0; k < n; k++) {
                        if (items[k].weight > items[best].weight || strcmp(items[k].name, "x") == 0) {
                            best = k;
                        }
                    }
                    return best;
                }

                int mod_%1$d_sort(struct item_%1$d *items, int n) {
                    for (int a = 0; a < n; a++) {
                        for (int b = a + 1; b < n; b++) {
                            if (items[b].key < items[a].key) {
                                struct item_%1$d t = items[a];
                                items[a] = items[b];
                                items[b] = t;
                            }
                        }
                    }
                    return n > 0 ? items[0].key : -1;
                }
                """.formatted(i);
    }
}
