package io.gitcrq.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersTheShareDoneWithGroupedNumbers() {
        assertThat(ProgressBar.render(52_000, 200_000L, "commits"))
                .isEqualTo("[#######.......................] 52,000/200,000 commits (26%)");
        assertThat(ProgressBar.render(0, 0L, "commits"))
                .isEqualTo("[##############################] 0/0 commits (100%)");
        assertThat(ProgressBar.render(12, null, "commits"))
                .isEqualTo("[..............................] 12 commits (counting…)");
        // More done than the total (commits pushed meanwhile) never overfills the bar.
        assertThat(ProgressBar.render(11, 10L, "commits"))
                .isEqualTo("[##############################] 11/10 commits (100%)");
    }

    @Test
    void redrawsInPlaceOnlyWhenSomethingChangedAndWipesLongerLines() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), "commits");
        bar.show(1_000, null);
        bar.show(1_000, null);
        bar.show(5, 10L);
        bar.end();
        bar.end();
        String counting = "[..............................] 1,000 commits (counting…)";
        String half = "[###############...............] 5/10 commits (50%)";
        assertThat(err.toString())
                .isEqualTo("\r" + counting + "\r" + half + " ".repeat(counting.length() - half.length()) + "\n");
    }
}
