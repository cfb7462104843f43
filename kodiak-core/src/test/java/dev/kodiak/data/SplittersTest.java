package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplittersTest {
    static List<Path> items(int n) {
        List<Path> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(Path.of("data", i % 2 == 0 ? "cat" : "dog", String.format("%04d.jpg", i)));
        }
        return items;
    }

    static List<Object> labels(List<Path> items) {
        List<Object> labels = new ArrayList<>();
        for (Path p : items) {
            labels.add(p.getParent() == null ? "none" : p.getParent().getFileName().toString());
        }
        return labels;
    }

    @Test
    void validPctOfSevenHundredFiftyIsOneHundredFifty() {
        List<Path> items = items(750);
        Split split = Splitters.random(0.2, 42).split(items, labels(items));
        assertThat(split.valid()).hasSize(150);
        assertThat(split.train()).hasSize(600).doesNotContainAnyElementsOf(split.valid());
        assertThat(split.test()).isEmpty();
        assertThat(Splitters.random(0.2, 42).split(items, labels(items))).isEqualTo(split);
        assertThat(Splitters.random(0.2, 43).split(items, labels(items)).valid()).isNotEqualTo(split.valid());
        assertThat(split.valid()).isSorted();
    }

    @Test
    void seed42SplitIsStableAcrossRuns() {
        // pinned: a change of the shuffle algorithm would silently change every user's validation set
        List<Path> items = items(10);
        Split split = Splitters.random(0.2, 42).split(items, labels(items));
        assertThat(split.valid()).hasSize(2);
        Split again = Splitters.random(0.2, 42).split(items, labels(items));
        assertThat(again.valid()).containsExactlyElementsOf(split.valid());
    }

    @Test
    void testPctHoldsOutADisjointTestSet() {
        List<Path> items = items(750);
        Split split = Splitters.random(0.2, 42).withTest(0.1).split(items, labels(items));
        assertThat(split.valid()).hasSize(150);
        assertThat(split.test()).hasSize(75).doesNotContainAnyElementsOf(split.valid());
        assertThat(split.train()).hasSize(525).doesNotContainAnyElementsOf(split.test());
    }

    @Test
    void stratifiedTakesTheSameFractionOfEveryLabel() {
        List<Path> items = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            items.add(Path.of("d", "common", i + ".jpg"));
        }
        for (int i = 0; i < 10; i++) {
            items.add(Path.of("d", "rare", i + ".jpg"));
        }
        Split split = Splitters.stratified(0.2, 1).split(items, labels(items));
        long rareValid = split.valid().stream().filter(i -> i >= 90).count();
        assertThat(rareValid).isEqualTo(2);
        assertThat(split.valid()).hasSize(20);
    }

    @Test
    void grandparentUsesTrainValidAndTestFolders() {
        List<Path> items = List.of(Path.of("d", "train", "a", "1.jpg"), Path.of("d", "valid", "a", "2.jpg"),
                Path.of("d", "train", "b", "3.jpg"), Path.of("d", "test", "b", "4.jpg"), Path.of("d", "other", "b", "5.jpg"));
        Split split = Splitters.grandparent().split(items, labels(items));
        assertThat(split.train()).containsExactly(0, 2);
        assertThat(split.valid()).containsExactly(1);
        assertThat(split.test()).containsExactly(3);
    }

    @Test
    void byIndexAndByFunction() {
        List<Path> items = items(6);
        assertThat(Splitters.byIndex(Set.of(1, 4)).split(items, labels(items)).valid()).containsExactly(1, 4);
        Split split = Splitters.byFunction(p -> p.toString().contains("dog")).split(items, labels(items));
        assertThat(split.valid()).containsExactly(1, 3, 5);
        assertThat(split.train()).containsExactly(0, 2, 4);
    }

    @Test
    void byOrderKeepsTheLatestItemsForValidation() {
        List<Path> items = new ArrayList<>();
        List<Integer> days = new ArrayList<>();
        for (int d = 1; d <= 20; d++) {
            days.add(d);
        }
        Collections.shuffle(days, new java.util.Random(3));
        for (int d : days) {
            items.add(Path.of("photos", String.format("2024-03-%02d_cam.jpg", d)));
        }
        Split split = Splitters.byNameKey("(\\d{4}-\\d{2}-\\d{2})", 0.2).withTest(0.1).split(items, labels(items));
        Set<Integer> validDays = new HashSet<>();
        split.valid().forEach(i -> validDays.add(days.get(i)));
        Set<Integer> testDays = new HashSet<>();
        split.test().forEach(i -> testDays.add(days.get(i)));
        assertThat(validDays).containsExactlyInAnyOrder(15, 16, 17, 18);
        assertThat(testDays).containsExactlyInAnyOrder(19, 20);
        assertThat(split.train()).hasSize(14);
    }

    @Test
    void byNameKeyComparesNumbersAsNumbers() {
        List<Path> items = List.of(Path.of("frame_10.jpg"), Path.of("frame_9.jpg"), Path.of("frame_100.jpg"),
                Path.of("frame_2.jpg"), Path.of("frame_1.jpg"));
        Split split = Splitters.byNameKey("_(\\d+)", 0.4).split(items, labels(items));
        assertThat(split.valid()).containsExactly(0, 2); // 10 and 100 are the latest, not 9
    }

    @Test
    void byFileTimeUsesModificationTimes(@TempDir Path dir) throws IOException {
        List<Path> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path f = Files.writeString(dir.resolve("f" + i + ".jpg"), "x");
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L * (5 - i)));
            items.add(f);
        }
        Split split = Splitters.byFileTime(0.4).split(items, labels(items));
        assertThat(split.valid()).containsExactly(0, 1); // f0 and f1 are the newest
    }

    @Test
    void badPercentagesAreClearErrors() {
        assertThatThrownBy(() -> Splitters.random(1.5, 1)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("valid-pct").hasMessageContaining("1.5");
        assertThatThrownBy(() -> Splitters.random(0.5, 1).withTest(0.6)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("valid-pct + test-pct");
        assertThatThrownBy(() -> Splitters.byNameKey("(", 0.2)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("invalid time-key pattern");
    }
}
