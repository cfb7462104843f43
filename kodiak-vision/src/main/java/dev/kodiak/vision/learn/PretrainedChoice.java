package dev.kodiak.vision.learn;

/**
 * Which weights a vision learner starts from: {@code auto} (the architecture's ImageNet weights when they can
 * be had, otherwise random with a loud warning), {@code none} (random, no warning), or a registry name / file
 * path (strict: an error when it cannot be had).
 */
public record PretrainedChoice(String spec) {
    public PretrainedChoice {
        spec = spec == null || spec.isBlank() ? "auto" : spec.trim();
    }

    public static PretrainedChoice auto() {
        return new PretrainedChoice("auto");
    }

    public static PretrainedChoice none() {
        return new PretrainedChoice("none");
    }

    public static PretrainedChoice of(String nameOrFile) {
        return new PretrainedChoice(nameOrFile);
    }

    public boolean isAuto() {
        return spec.equals("auto");
    }

    public boolean isNone() {
        return spec.equals("none");
    }
}
