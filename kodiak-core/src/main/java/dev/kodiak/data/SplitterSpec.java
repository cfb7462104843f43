package dev.kodiak.data;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a model file records of the splitter that chose its validation set, by kind ({@code random},
 * {@code stratified}, {@code grandparent}, {@code by-time}, {@code custom}) with that kind's values. (The model file
 * also lists the validation files, so any split can be re-created; {@link SplitSpec} is what the CLI takes.)
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SplitterSpec.Random.class, name = "random"),
        @JsonSubTypes.Type(value = SplitterSpec.Stratified.class, name = "stratified"),
        @JsonSubTypes.Type(value = SplitterSpec.Grandparent.class, name = "grandparent"),
        @JsonSubTypes.Type(value = SplitterSpec.ByTime.class, name = "by-time"),
        @JsonSubTypes.Type(value = SplitterSpec.Custom.class, name = "custom")})
public sealed interface SplitterSpec permits SplitterSpec.Random, SplitterSpec.Stratified, SplitterSpec.Grandparent,
        SplitterSpec.ByTime, SplitterSpec.Custom {
    /** The fraction held out as a test set (0 for none). */
    double testPct();

    /** {@link RandomSplitter}'s values. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Random(double validPct, double testPct, long seed) implements SplitterSpec {
    }

    /** {@link StratifiedSplitter}'s values. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Stratified(double validPct, double testPct, long seed) implements SplitterSpec {
    }

    /** {@link GrandparentSplitter}'s folder names, and the seeded test fraction when there is no test folder. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Grandparent(String train, String valid, String test, double testPct, long seed) implements SplitterSpec {
    }

    /** {@link OrderSplitter}'s key (its name) and fractions: the last items in key order are held out. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ByTime(String key, double validPct, double testPct) implements SplitterSpec {
    }

    /** A splitter Kodiak cannot re-create from values (e.g. a function): its description only. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Custom(String description, double testPct) implements SplitterSpec {
    }
}
