package dev.kodiak.vision.transforms;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Internal: the geometric half of {@link Augment} on a batch tensor [B, C, H, W].
 *
 * <p>Flip, rotation, zoom and perspective warp are composed per item into one 3x3 sampling matrix in
 * normalized coordinates (-1..1, align_corners=true), so each image is interpolated once, whatever the number of
 * operations: output position p samples the input at {@code F(W(R(Z p)))}, where Z is the zoom, R the rotation,
 * W the perspective homography and F the mirror (so the result is the mirrored image, rotated, zoomed and
 * warped). Items that only flip are mirrored with exact tensor flips instead (no interpolation), and items that
 * neither flip nor move keep their exact input values.
 *
 * <p>The sampling grid of a chunk of items is built in a few broadcast passes ({@link #samplingGrid}), with the
 * perspective divide only when an item warps, then {@code grid_sampler} reads the whole chunk in one call.
 */
final class AffineWarp {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    static final long BILINEAR = 0;

    private AffineWarp() {
    }

    /**
     * Flips, rotates, zooms and warps each item of {@code x} in place as its choices say, with bilinear
     * interpolation and the given padding ({@code grid_sampler}'s code: 0 zeros, 1 border, 2 reflection).
     * Works a {@link ItemChunks chunk} of items at a time, so its temporaries stay small.
     */
    static Tensor apply(Tensor x, List<ItemAugmentation> items, long paddingCode) {
        int batch = items.size();
        boolean[] moves = new boolean[batch];
        boolean[] flipOnlyH = new boolean[batch];
        boolean[] flipOnlyV = new boolean[batch];
        double[][] matrices = new double[batch][];
        for (int i = 0; i < batch; i++) {
            ItemAugmentation item = items.get(i);
            moves[i] = item.moves();
            if (moves[i]) {
                // Sampling the mirrored image at s is sampling the original at F·s: the flip joins the matrix.
                double[] mirror = {item.flipHorizontal() ? -1 : 1, 0, 0, 0, item.flipVertical() ? -1 : 1, 0, 0, 0, 1};
                matrices[i] = multiply(mirror, samplingMatrix(item, x.size(2), x.size(3)));
            } else {
                matrices[i] = identity();
                flipOnlyH[i] = item.flipHorizontal();
                flipOnlyV[i] = item.flipVertical();
            }
        }
        int per = ItemChunks.itemsPer(x);
        for (int start = 0; start < batch; start += per) {
            int end = Math.min(batch, start + per);
            boolean anyMoves = ItemChunks.any(moves, start, end);
            boolean anyFlips = ItemChunks.any(flipOnlyH, start, end) || ItemChunks.any(flipOnlyV, start, end);
            if (!anyMoves && !anyFlips) {
                continue;
            }
            try (StepScope chunkScope = StepScope.open()) {
                Tensor view = x.narrow(0, start, end - start);
                if (anyFlips) {
                    flip(view, Arrays.copyOfRange(flipOnlyH, start, end), Arrays.copyOfRange(flipOnlyV, start, end));
                }
                if (anyMoves) {
                    resample(view, Arrays.copyOfRange(matrices, start, end), Arrays.copyOfRange(moves, start, end),
                            paddingCode);
                }
            }
        }
        return x;
    }

    /** Resamples the moving items of {@code view} in place; the others keep their exact values. */
    private static void resample(Tensor view, double[][] matrices, boolean[] moves, long paddingCode) {
        boolean perspective = false;
        for (double[] m : matrices) {
            perspective |= m[6] != 0 || m[7] != 0;
        }
        long[] size = {matrices.length, view.size(1), view.size(2), view.size(3)};
        Tensor grid = samplingGrid(view, matrices, size, perspective);
        // Bilinear weights sum to 1 only up to rounding: keep the result inside the 0..1 range of the input.
        Tensor sampled = torch.grid_sampler(view, grid, BILINEAR, paddingCode, true);
        sampled.clamp_(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(1.0)));
        if (!ItemChunks.all(moves)) {
            torch.where_out(sampled, itemMask(moves, view), sampled, view); // result: a non-owning second handle
        }
        view.copy_(sampled);
    }

    /** Mirrors the chosen items of {@code x} in place, exactly (a copy of pixels, no resampling). */
    static void flip(Tensor x, boolean[] horizontal, boolean[] vertical) {
        if (ItemChunks.any(horizontal, 0, horizontal.length)) {
            x.copy_(torch.where(itemMask(horizontal, x), x.flip(3), x));
        }
        if (ItemChunks.any(vertical, 0, vertical.length)) {
            x.copy_(torch.where(itemMask(vertical, x), x.flip(2), x));
        }
    }

    /**
     * The sampling grid {@code [B, H, W, 2]}: each output pixel's normalized coordinates (x, y), mapped through its
     * item's 3x3 matrix T to (T·[x y 1]) / w (w = 1 for affine matrices), with align_corners=true coordinates.
     * Built by broadcasting a column and a row of coordinates against per-item coefficients: a handful of passes
     * over the grid, where affine_grid plus a batched matrix product took as long as the resampling itself.
     */
    static Tensor samplingGrid(Tensor x, double[][] matrices, long[] size, boolean perspective) {
        int batch = matrices.length;
        long height = size[2];
        long width = size[3];
        float[][] coefficients = new float[9][batch];
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < 9; k++) {
                coefficients[k][i] = (float) matrices[i][k];
            }
        }
        Tensor xs = onDeviceOf(x, Tensor.create(linspace(width), 1, 1, width));
        Tensor ys = onDeviceOf(x, Tensor.create(linspace(height), 1, height, 1));
        Tensor[] c = new Tensor[9];
        for (int k = 0; k < 9; k++) {
            c[k] = onDeviceOf(x, Tensor.create(coefficients[k], batch, 1, 1));
        }
        // row term (c0·x + c2) [B, 1, W] plus column term c1·y [B, H, 1], written straight into the interleaved
        // grid: one pass at full size per coordinate (stacking two separate planes cost as much again)
        Tensor grid = x.new_empty(batch, height, width, 2); // x's dtype and device
        Tensor gx = grid.select(3, 0);
        Tensor gy = grid.select(3, 1);
        if (!perspective) {
            torch.add_out(gx, xs.mul(c[0]).add_(c[2]), ys.mul(c[1])); // out variants return a second, non-owning handle
            torch.add_out(gy, xs.mul(c[3]).add_(c[5]), ys.mul(c[4]));
            return grid;
        }
        // The divide runs on contiguous planes (libtorch's loop over the grid's stride-2 views is not vectorized);
        // each plane is then copied into its half of the grid.
        Tensor w = xs.mul(c[6]).add_(c[8]).add(ys.mul(c[7]));
        gx.copy_(xs.mul(c[0]).add_(c[2]).add(ys.mul(c[1])).div_(w));
        gy.copy_(xs.mul(c[3]).add_(c[5]).add(ys.mul(c[4])).div_(w));
        return grid;
    }

    // n points from -1 to 1 inclusive (align_corners=true); a single point sits at 0
    private static float[] linspace(long n) {
        float[] v = new float[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = n == 1 ? 0f : (float) (-1.0 + 2.0 * i / (n - 1));
        }
        return v;
    }

    /**
     * The 3x3 row-major matrix mapping an output position to the input position it samples, in normalized
     * coordinates. Rotation is a true rotation in pixels (also on non-square images); zoom and warp work in
     * normalized coordinates, so they stretch both axes alike.
     */
    static double[] samplingMatrix(ItemAugmentation item, long height, long width) {
        double halfW = (width - 1) / 2.0;
        double halfH = (height - 1) / 2.0;
        double aspect = halfW > 0 && halfH > 0 ? halfH / halfW : 1;
        double angle = Math.toRadians(item.rotateDegrees());
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        // Content turns counter-clockwise on screen (y down), so sampling turns the other way.
        double[] rotate = {cos, -sin * aspect, 0, sin / aspect, cos, 0, 0, 0, 1};
        double scale = 1 / item.zoom();
        double[] zoom = {scale, 0, (1 - scale) * (2 * item.zoomCentreX() - 1),
            0, scale, (1 - scale) * (2 * item.zoomCentreY() - 1), 0, 0, 1};
        double[] affine = multiply(rotate, zoom);
        if (!item.warps()) {
            return affine;
        }
        double[] total = multiply(warpHomography(item.warpX(), item.warpY()), affine);
        // A homography is only a proper warp where its denominator stays positive; it is affine in the output
        // position, so checking the four output corners covers the whole image. Extreme warps fall back to none.
        for (int cx = -1; cx <= 1; cx += 2) {
            for (int cy = -1; cy <= 1; cy += 2) {
                if (total[6] * cx + total[7] * cy + total[8] < 1e-3) {
                    return affine;
                }
            }
        }
        return total;
    }

    /**
     * The sampling homography of a perspective warp: the input's corners (x, y) = (-1,-1), (-1,1), (1,-1), (1,1)
     * appear in the output at (-1-wy, -1-wx), (-1+wy, 1+wx), (1+wy, -1+wx), (1-wy, 1-wx), so the matrix maps those
     * output points back to the corners.
     */
    static double[] warpHomography(double wx, double wy) {
        double[][] corners = {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
        double[][] shown = {{-1 - wy, -1 - wx}, {-1 + wy, 1 + wx}, {1 + wy, -1 + wx}, {1 - wy, 1 - wx}};
        return homography(shown, corners);
    }

    /** The 3x3 row-major homography (bottom-right 1) taking each {@code from[i]} to {@code to[i]}. */
    static double[] homography(double[][] from, double[][] to) {
        double[][] system = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double x = from[i][0];
            double y = from[i][1];
            double u = to[i][0];
            double v = to[i][1];
            system[2 * i] = new double[] {x, y, 1, 0, 0, 0, -x * u, -y * u, u};
            system[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -x * v, -y * v, v};
        }
        double[] h = solve(system);
        return new double[] {h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1};
    }

    // Gaussian elimination with partial pivoting on an n x (n+1) augmented matrix.
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-12) {
                throw new IllegalArgumentException("degenerate corner points: the homography is singular");
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int row = col + 1; row < n; row++) {
                double f = a[row][col] / a[col][col];
                for (int k = col; k <= n; k++) {
                    a[row][k] -= f * a[col][k];
                }
            }
        }
        double[] solution = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double sum = a[row][n];
            for (int k = row + 1; k < n; k++) {
                sum -= a[row][k] * solution[k];
            }
            solution[row] = sum / a[row][row];
        }
        return solution;
    }

    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    sum += a[r * 3 + j] * b[j * 3 + k];
                }
                c[r * 3 + k] = sum;
            }
        }
        return c;
    }

    private static double[] identity() {
        return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }

    /** A [B, 1, 1, 1] boolean tensor on x's device, true for the items to change. */
    static Tensor itemMask(boolean[] chosen, Tensor x) {
        return Tensor.create(chosen, chosen.length, 1, 1, 1).to(x.device(), ScalarType.Bool);
    }

    /** Moves a small CPU float tensor of parameters to x's device and dtype. */
    static Tensor onDeviceOf(Tensor x, Tensor parameters) {
        return parameters.to(x.device(), x.scalar_type());
    }
}
