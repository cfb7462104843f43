package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import dev.kodiak.learn.schedule.LrSlice;
import dev.kodiak.learn.schedule.OneCycle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recipes check their values, round-trip through JSON by name and version, and say what they do. */
class RecipeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<Recipe> EVERY_KIND = List.of(
            Recipe.fit(2, 1e-2),
            new Recipe.Fit(3, LrSlice.of(1e-5, 1e-3), 0.1),
            new Recipe.Fit(1, LrSlice.of(3e-3), null),
            Recipe.fitOneCycle(4, 1e-3),
            new Recipe.FitOneCycle(2, LrSlice.of(1e-4, 1e-2), new OneCycle(0.4, 10, 1e4, 0.9, 0.8, 0.9), 0.05),
            Recipe.fineTune(3),
            new Recipe.FineTune(5, 1e-3, 0, 10, 0.2, 7.5, 0.0));

    @Test
    void everyRecipeRoundTripsThroughJsonByNameAndVersion() throws Exception {
        for (Recipe r : EVERY_KIND) {
            String json = JSON.writeValueAsString(r);
            JsonNode tree = JSON.readTree(json);
            assertThat(tree.fieldNames().next()).as(json).isEqualTo("name"); // the name first: readable by eye
            assertThat(tree.get("name").asText()).isEqualTo(r.name());
            assertThat(tree.get("version").asInt()).isEqualTo(Recipe.VERSION);
            assertThat(JSON.readValue(json, Recipe.class)).as(json).isEqualTo(r);
            assertThat(RecipeJson.read(tree)).isEqualTo(r);
        }
    }

    @Test
    void fineTuneIsStoredWithFastaisNames() throws Exception {
        assertThat(JSON.writeValueAsString(Recipe.fineTune(3))).isEqualTo("{\"name\":\"fine_tune\",\"version\":1,"
                + "\"epochs\":3,\"base_lr\":0.002,\"freeze_epochs\":1,\"lr_mult\":100.0,\"pct_start\":0.3,\"div\":5.0}");
    }

    @Test
    void anUnknownNameOrVersionOrAMissingValueIsRefusedSayingWhich() throws Exception {
        assertThatThrownBy(() -> RecipeJson.read(JSON.readTree("{\"name\":\"fit_two_cycles\",\"version\":1}")))
                .isInstanceOf(KodiakException.class).hasMessage("unknown recipe 'fit_two_cycles' (this Kodiak knows "
                        + "fit, fit_one_cycle and fine_tune): written by a newer Kodiak?");
        assertThatThrownBy(() -> RecipeJson.read(JSON.readTree("{\"name\":\"fine_tune\",\"version\":3,\"epochs\":1}")))
                .hasMessage("recipe fine_tune has version 3, but this Kodiak reads version 1: upgrade Kodiak");
        assertThatThrownBy(() -> RecipeJson.read(JSON.readTree("{\"name\":\"fine_tune\",\"epochs\":1}")))
                .hasMessageContaining("recipe fine_tune has no version");
        assertThatThrownBy(() -> RecipeJson.read(JSON.readTree("{\"name\":\"fine_tune\",\"version\":1,\"epochs\":1}")))
                .hasMessage("recipe fine_tune has no 'base_lr'");
        assertThatThrownBy(() -> RecipeJson.read(JSON.readTree("{\"name\":\"fit\",\"version\":1,\"epochs\":1.5,"
                + "\"lr\":{\"kind\":\"single\",\"lo\":0.1,\"hi\":0.1}}"))).hasMessageContaining("'epochs'")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> RecipeJson.read(JSON.readTree("{\"epochs\":1}"))).hasMessageContaining("has no name");
    }

    @Test
    void eachRecipeRefusesValuesThatCannotTrain() {
        assertThatThrownBy(() -> Recipe.fit(0, 1e-3)).hasMessage("fit's epochs must be at least 1, got 0");
        assertThatThrownBy(() -> Recipe.fineTune(3, 1e-3, -1, 100)).hasMessage("fine_tune's freeze_epochs must be at "
                + "least 0, got -1");
        assertThatThrownBy(() -> Recipe.fineTune(3, Double.NaN, 1, 100)).hasMessage("base_lr must be a positive "
                + "number, got NaN");
        assertThatThrownBy(() -> new Recipe.FineTune(3, 1e-3, 1, 100, 1.5, 5, null)).hasMessageContaining("pct_start");
        assertThatThrownBy(() -> new Recipe.FitOneCycle(3, LrSlice.single(1e-3), OneCycle.defaults(), -0.1))
                .hasMessageContaining("wd must be");
        assertThatThrownBy(() -> new Recipe.FitOneCycle(3, null, OneCycle.defaults(), null)).hasMessageContaining("lr_max");
    }

    @Test
    void fineTuneIsFastaisTwoOneCyclePhases() {
        Recipe.FineTune t = Recipe.fineTune(3, 2e-3, 1, 100);
        assertThat(t.phases()).containsExactly("frozen", "unfrozen");
        assertThat(t.frozen()).isEqualTo(new Recipe.FitOneCycle(1, LrSlice.of(2e-3), OneCycle.defaults().withPctStart(0.99),
                null));
        assertThat(t.unfrozen()).isEqualTo(new Recipe.FitOneCycle(3, LrSlice.of(1e-5, 1e-3),
                OneCycle.defaults().withPctStart(0.3).withDiv(5), null));
        assertThat(Recipe.fineTune(2, 2e-3, 0, 100).phases()).containsExactly("unfrozen");
    }

    @Test
    void recipesSayWhatTheyDo() {
        assertThat(Recipe.fineTune(3).describe()).isEqualTo("fine_tune(3, base_lr=0.002, freeze_epochs=1, lr_mult=100)");
        assertThat(Recipe.fineTune(3).inWords()).isEqualTo("1 epoch with the body frozen (one cycle up to learning rate "
                + "0.002 for the head, 2.0E-4 for the body, warming up from 1/25 of it over 99% of the batches, then "
                + "annealing to 1/100000; momentum 0.95 → 0.85 → 0.95), then 3 epochs of every layer (one cycle up to "
                + "learning rate from 1.0E-5 for the stem to 0.001 for the head, warming up from 1/5 of it over 30% of "
                + "the batches, then annealing to 1/100000; momentum 0.95 → 0.85 → 0.95)");
        assertThat(Recipe.fit(2, 0.01).inWords()).isEqualTo("2 epochs at a constant learning rate 0.01");
        assertThat(new Recipe.FitOneCycle(2, LrSlice.of(1e-4, 1e-2), OneCycle.defaults().withPctStart(0.5), 0.1)
                .describe()).isEqualTo("fit_one_cycle(2, lr_max=slice(1.0E-4, 0.01), pct_start=0.5, wd=0.1)");
    }

    @Test
    void theFormsOfFormatVersionOneAreRead() throws Exception {
        assertThat(RecipeJson.read(JSON.readTree("{\"kind\":\"fine_tune\",\"epochs\":3,\"base_lr\":0.01,"
                + "\"freeze_epochs\":1,\"lr_mult\":100.0}"))).isEqualTo(Recipe.fineTune(3, 0.01, 1, 100));
        assertThat(RecipeJson.read(JSON.readTree("{\"kind\":\"fit_one_cycle\",\"epochs\":3,\"lr_kind\":\"RANGE\","
                + "\"lr_lo\":0.001,\"lr_hi\":0.01,\"pct_start\":0.25,\"div\":25.0,\"div_final\":100000.0,"
                + "\"mom_start\":0.95,\"mom_mid\":0.85,\"mom_end\":0.95}")))
                .isEqualTo(new Recipe.FitOneCycle(3, LrSlice.of(0.001, 0.01), OneCycle.defaults(), null));
        assertThat(RecipeJson.fromWords("fine_tune(3, base_lr=0.002, freeze_epochs=1, lr_mult=100.0)"))
                .isEqualTo(Recipe.fineTune(3));
        assertThat(RecipeJson.fromWords("fit_one_cycle(1, lr_max=0.001)")).isEqualTo(Recipe.fitOneCycle(1, 1e-3));
        assertThat(RecipeJson.fromWords("fit_one_cycle(2, lr_max=slice(1.0E-4, 0.01))"))
                .isEqualTo(new Recipe.FitOneCycle(2, LrSlice.of(1e-4, 1e-2), OneCycle.defaults(), null));
        assertThat(RecipeJson.fromWords("fit(2, lr=slice(0.01))")).isEqualTo(new Recipe.Fit(2, LrSlice.of(0.01), null));
        assertThat(RecipeJson.fromWords("something else")).isNull();
    }
}
