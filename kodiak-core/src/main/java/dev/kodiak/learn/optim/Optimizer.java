package dev.kodiak.learn.optim;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: updates a model's parameters from their gradients, one set of hyper-parameters per layer group
 * (fastai's optimizer). The learner sets each group's learning rate and momentum before every batch
 * ({@link #setLr}, {@link #setMom}), calls {@link #step()} after the backward pass and {@link #zeroGrad()}
 * after the step.
 *
 * <p>A parameter without a gradient (frozen, or unused by the forward pass) is skipped entirely: no weight
 * decay, no state, no step count. Optimizer state lives in native memory owned by this object; {@link #close()}
 * frees it (the learner closes an optimizer it replaces).
 */
public abstract sealed class Optimizer implements AutoCloseable permits AdamW, Sgd {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final Pattern STATE_KEY = Pattern.compile("g(\\d{1,6})\\.p(\\d{1,6})\\.([a-z_]+)");

    private final List<ParamGroup> groups;
    private final ParamState[][] state;
    private boolean closed;

    Optimizer(List<ParamGroup> groups) {
        if (groups.isEmpty()) {
            throw new KodiakException("an optimizer needs at least one parameter group");
        }
        this.groups = List.copyOf(groups);
        this.state = new ParamState[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            state[g] = new ParamState[groups.get(g).size()];
        }
    }

    /** Names of the per-parameter state buffers, in the order {@link ParamState#buffers} holds them. */
    abstract List<String> bufferNames();

    /** Updates the parameters of one group that have a gradient; runs under no-grad inside a step scope. */
    abstract void stepGroup(int groupIndex, ParamGroup group, StepScope scope);

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        checkOpen();
        try (NoGradGuard noGrad = new NoGradGuard(); StepScope scope = StepScope.open()) {
            for (int g = 0; g < groups.size(); g++) {
                stepGroup(g, groups.get(g), scope);
            }
        } catch (KodiakException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KodiakException("the optimizer step failed: " + e.getMessage(), e);
        }
    }

    /**
     * Forgets every gradient (sets it to none rather than to zeros, like PyTorch's
     * {@code zero_grad(set_to_none=True)}): the next backward pass starts fresh, and a parameter that gets no
     * gradient from it is recognisably frozen.
     */
    public final void zeroGrad() {
        checkOpen();
        try (StepScope scope = StepScope.open()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    p.mutable_grad().reset();
                }
            }
        }
    }

    /** The state of parameter {@code index} of group {@code group}, created (zeros) on its first update. */
    final ParamState state(int group, int index, Tensor param, StepScope scope) {
        ParamState s = state[group][index];
        if (s == null) {
            Tensor[] buffers = new Tensor[bufferNames().size()];
            for (int b = 0; b < buffers.length; b++) {
                buffers[b] = scope.keep(torch.zeros_like(param));
            }
            s = new ParamState(buffers, 0);
            state[group][index] = s;
        }
        return s;
    }

    // ------------------------------------------------------------------------------------ hyper-parameters

    /** The groups, body first and head last, as the model's layer groups. */
    public final List<ParamGroup> groups() {
        return groups;
    }

    public final int groupCount() {
        return groups.size();
    }

    public final double lr(int group) {
        return group(group).lr();
    }

    public final double mom(int group) {
        return group(group).mom();
    }

    public final double wd(int group) {
        return group(group).wd();
    }

    public final void setLr(int group, double lr) {
        group(group).setLr(lr);
    }

    /** Sets every group's learning rate; {@code lrs} has one value per group (e.g. from an {@code LrSlice}). */
    public final void setLrs(double[] lrs) {
        if (lrs.length != groups.size()) {
            throw new KodiakException("got " + lrs.length + " learning rates for " + groups.size()
                    + " parameter groups");
        }
        for (int g = 0; g < lrs.length; g++) {
            groups.get(g).setLr(lrs[g]);
        }
    }

    /** Momentum of a group: Adam's beta1 or SGD's momentum (one-cycle training schedules it). */
    public final void setMom(int group, double mom) {
        group(group).setMom(mom);
    }

    /** Sets the same momentum in every group. */
    public final void setMoms(double mom) {
        for (ParamGroup g : groups) {
            g.setMom(mom);
        }
    }

    public final void setWd(int group, double wd) {
        group(group).setWd(wd);
    }

    /** Hyper-parameters as plain numbers: {@code g0.lr}, {@code g0.mom}, {@code g0.sqr_mom}, {@code g0.eps}, {@code g0.wd}, ... */
    public final Map<String, Double> hyperState() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup pg = groups.get(g);
            out.put("g" + g + ".lr", pg.lr());
            out.put("g" + g + ".mom", pg.mom());
            out.put("g" + g + ".sqr_mom", pg.sqrMom());
            out.put("g" + g + ".eps", pg.eps());
            out.put("g" + g + ".wd", pg.wd());
        }
        return out;
    }

    /** Restores what {@link #hyperState()} returned (any subset of its keys). */
    public final void loadHyperState(Map<String, Double> hypers) {
        for (Map.Entry<String, Double> e : hypers.entrySet()) {
            String[] parts = e.getKey().split("\\.", 2);
            ParamGroup pg = parts.length == 2 && parts[0].matches("g\\d{1,6}") ? groupOrNull(parts[0]) : null;
            if (pg == null) {
                throw new KodiakException("unknown optimizer hyper-parameter '" + e.getKey() + "' for "
                        + groups.size() + " parameter groups (expected g0.lr ... g" + (groups.size() - 1) + ".wd)");
            }
            double v = e.getValue();
            switch (parts[1]) {
                case "lr" -> pg.setLr(v);
                case "mom" -> pg.setMom(v);
                case "sqr_mom" -> pg.setSqrMom(v);
                case "eps" -> pg.setEps(v);
                case "wd" -> pg.setWd(v);
                default -> throw new KodiakException("unknown optimizer hyper-parameter '" + e.getKey()
                        + "' (expected lr, mom, sqr_mom, eps or wd)");
            }
        }
    }

    // ------------------------------------------------------------------------------------ state for checkpoints

    /** True once parameter {@code index} of group {@code group} has been updated (or its state loaded). */
    public final boolean hasState(int group, int index) {
        checkIndex(group, index);
        return state[group][index] != null;
    }

    /** How many updates parameter {@code index} of group {@code group} has had (0 if none). */
    public final long stepCount(int group, int index) {
        checkIndex(group, index);
        ParamState s = state[group][index];
        return s == null ? 0 : s.step;
    }

    /**
     * Internal: the optimizer's state for a checkpoint, named {@code g<group>.p<index>.<buffer>} (e.g.
     * {@code g0.p3.exp_avg}) plus a 0-d int64 {@code g0.p3.step}. The buffer tensors are live views that share
     * the optimizer's storage; their handles belong to the caller's scope. Parameters never updated have no
     * entries.
     */
    public final Map<String, dev.kodiak.tensor.Tensor> stateDict() {
        checkOpen();
        Map<String, dev.kodiak.tensor.Tensor> out = new LinkedHashMap<>();
        List<String> names = bufferNames();
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < state[g].length; i++) {
                ParamState s = state[g][i];
                if (s == null) {
                    continue;
                }
                for (int b = 0; b < names.size(); b++) {
                    out.put("g" + g + ".p" + i + "." + names.get(b), NativeTensors.wrap(new Tensor(s.buffers[b])));
                }
                out.put("g" + g + ".p" + i + ".step", NativeTensors.wrap(torch.scalar_tensor(new Scalar(s.step),
                        new TensorOptions(torch.ScalarType.Long))));
            }
        }
        return out;
    }

    /**
     * Internal: replaces the whole state with a copy of {@code saved} (as {@link #stateDict()} wrote it).
     * Parameters without entries start fresh. Shapes and names are checked before anything changes.
     */
    public final void loadStateDict(Map<String, dev.kodiak.tensor.Tensor> saved) {
        checkOpen();
        List<String> names = bufferNames();
        Tensor[][][] buffers = new Tensor[groups.size()][][];
        long[][] steps = new long[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            buffers[g] = new Tensor[groups.get(g).size()][];
            steps[g] = new long[groups.get(g).size()];
            Arrays.fill(steps[g], -1);
        }
        for (Map.Entry<String, dev.kodiak.tensor.Tensor> e : saved.entrySet()) {
            Matcher m = STATE_KEY.matcher(e.getKey());
            if (!m.matches()) {
                throw stateError("'" + e.getKey() + "' is not an optimizer state name (g<group>.p<index>.<buffer>)");
            }
            int g = Integer.parseInt(m.group(1));
            int i = Integer.parseInt(m.group(2));
            if (g >= groups.size() || i >= groups.get(g).size()) {
                throw stateError("'" + e.getKey() + "' names a parameter this model does not have ("
                        + groups.size() + " groups of sizes " + sizes() + ")");
            }
            Tensor t = NativeTensors.unwrap(e.getValue());
            if (m.group(3).equals("step")) {
                steps[g][i] = t.item_long();
                continue;
            }
            int b = names.indexOf(m.group(3));
            if (b < 0) {
                throw stateError("'" + e.getKey() + "' is not state of this optimizer (buffers: " + names + ")");
            }
            long[] want = shape(groups.get(g).params().get(i));
            if (!Arrays.equals(shape(t), want)) {
                throw stateError("'" + e.getKey() + "' has shape " + Arrays.toString(shape(t))
                        + " but the parameter has shape " + Arrays.toString(want));
            }
            if (buffers[g][i] == null) {
                buffers[g][i] = new Tensor[names.size()];
            }
            buffers[g][i][b] = t;
        }
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < buffers[g].length; i++) {
                boolean any = buffers[g][i] != null || steps[g][i] >= 0;
                boolean complete = buffers[g][i] != null && steps[g][i] >= 0
                        && Arrays.stream(buffers[g][i]).allMatch(t -> t != null);
                if (any && !complete) {
                    throw stateError("the state of g" + g + ".p" + i + " is incomplete (needs " + names
                            + " and step)");
                }
            }
        }
        try (NoGradGuard noGrad = new NoGradGuard(); StepScope scope = StepScope.open()) {
            for (int g = 0; g < groups.size(); g++) {
                for (int i = 0; i < buffers[g].length; i++) {
                    if (state[g][i] != null) {
                        state[g][i].close();
                        state[g][i] = null;
                    }
                    if (buffers[g][i] == null) {
                        continue;
                    }
                    ParamState s = state(g, i, groups.get(g).params().get(i), scope);
                    for (int b = 0; b < names.size(); b++) {
                        s.buffers[b].copy_(buffers[g][i][b]);
                    }
                    s.step = steps[g][i];
                }
            }
        }
    }

    /** Frees the optimizer state and its handles on the parameters (not the parameters themselves). */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ParamState[] row : state) {
            for (int i = 0; i < row.length; i++) {
                if (row[i] != null) {
                    row[i].close();
                    row[i] = null;
                }
            }
        }
        for (ParamGroup g : groups) {
            g.params().forEach(Tensor::close);
        }
        releaseScratch();
    }

    /** Frees native working memory a subclass keeps between steps (none by default). */
    void releaseScratch() {
    }

    // ------------------------------------------------------------------------------------ helpers

    /**
     * Own handles on the model's parameters (same tensors, same gradients), kept out of any scope the caller has
     * open, so the optimizer works however the caller's handles are managed.
     */
    static List<Tensor> ownHandles(List<Tensor> params) {
        List<Tensor> own = new ArrayList<>(params.size());
        try (StepScope scope = StepScope.open()) {
            for (Tensor p : params) {
                if (p == null || p.isNull() || !p.defined()) {
                    throw new KodiakException("cannot optimize an undefined parameter tensor");
                }
                own.add(scope.keep(new Tensor(p)));
            }
        }
        return own;
    }

    static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int d = 0; d < s.length; d++) {
            s[d] = t.size(d);
        }
        return s;
    }

    private ParamGroup group(int group) {
        if (group < 0 || group >= groups.size()) {
            throw new KodiakException("no parameter group " + group + ": the optimizer has " + groups.size());
        }
        return groups.get(group);
    }

    private void checkIndex(int group, int index) {
        if (index < 0 || index >= group(group).size()) {
            throw new KodiakException("no parameter " + index + " in group " + group + " (it has "
                    + groups.get(group).size() + ")");
        }
    }

    private ParamGroup groupOrNull(String gName) {
        int g = Integer.parseInt(gName.substring(1));
        return g < groups.size() ? groups.get(g) : null;
    }

    private List<Integer> sizes() {
        return groups.stream().map(ParamGroup::size).toList();
    }

    private static KodiakException stateError(String what) {
        return new KodiakException("cannot load the optimizer state: " + what
                + ". The checkpoint was saved for a different model or optimizer; load the weights without the "
                + "optimizer state instead.");
    }

    private void checkOpen() {
        if (closed) {
            throw new KodiakException("this optimizer was closed; create a new one");
        }
    }
}
