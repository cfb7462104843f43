package dev.kodiak.gather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlListTest {
    @TempDir
    Path dir;

    @Test
    void plainTextOneUrlALineWithCommentsAndRepeats() throws IOException {
        Path f = Files.writeString(dir.resolve("grizzly.txt"), "# my bears\n\nhttps://a/1.jpg\n  https://a/2.jpg  \n"
                + "https://a/1.jpg\nhttps://a/3.jpg\n");
        UrlList list = UrlList.of(f.toString());
        assertThat(list.search("grizzly", "ignored", 10)).extracting(SearchResult::imageUrl)
                .containsExactly("https://a/1.jpg", "https://a/2.jpg", "https://a/3.jpg");
        assertThat(list.search("grizzly", "ignored", 2)).hasSize(2);
    }

    @Test
    void csvWithLabelsAndCredits() throws IOException {
        Path f = Files.writeString(dir.resolve("urls.csv"), "Label,URL,license,creator,title,page_url,width,height\n"
                + "grizzly,https://a/1.jpg,by-sa 4.0,\"Lee, Ann\",A bear,https://p/1,640,480\n"
                + "black,https://a/2.jpg,cc0,,,,,\n");
        UrlList list = UrlList.of(f.toString());
        assertThat(list.search("grizzly", "q", 10)).containsExactly(
                new SearchResult("https://a/1.jpg", "https://p/1", "A bear", "by-sa 4.0", "Lee, Ann", 640, 480));
        assertThat(list.search("black", "q", 10)).containsExactly(
                new SearchResult("https://a/2.jpg", "", "", "cc0", "", 0, 0));
        assertThat(list.search("teddy", "q", 10)).isEmpty();
    }

    @Test
    void oneFilePerLabelThroughAPattern() throws IOException {
        Files.writeString(dir.resolve("grizzly.txt"), "https://a/g.jpg\n");
        UrlList list = UrlList.of(dir.resolve("{label}.txt").toString());
        assertThat(list.search("grizzly", "q", 5)).extracting(SearchResult::imageUrl).containsExactly("https://a/g.jpg");
        assertThatThrownBy(() -> list.search("black", "q", 5)).hasMessageContaining("black.txt")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> UrlList.of(dir.resolve("none.txt").toString())).hasMessageContaining("does not exist");
    }
}
