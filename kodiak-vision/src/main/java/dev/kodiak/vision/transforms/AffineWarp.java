package dev.kodiak.vision.transforms;

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
 * <p>Without any warp in the batch the grid comes straight from libtorch's {@code affine_grid}; with one, the
 * identity grid from {@code affine_grid} is pushed through each item's homography with a batched matrix product
 * and a perspective divide, then {@code grid_sampler} reads the whole batch in one call.
 */
final class AffineWarp {
    static final long BILINEAR = 0;

    private AffineWarp() {
    }

    /**
     * Flips, rotates, zooms and warps each item as its choices say, with bilinear interpolation and the given
     * padding ({@code grid_sampler}'s code: 0 zeros, 1 border, 2 reflection).
     */
    static Tensor apply(Tensor x, List<ItemAugmentation> items, long paddingCode) {
        int batch = items.size();
        boolean[] moves = new boolean[batch];
        boolean[] flipOnlyH = new boolean[batch];
        boolean[] flipOnlyV = new boolean[batch];
        double[][] matrices = new double[batch][];
        int moving = 0;
        boolean anyFlipOnly = false;
        boolean anyPerspective = false;
        for (int i = 0; i < batch; i++) {
            ItemAugmentation item = items.get(i);
            moves[i] = item.moves();
            if (moves[i]) {
                // Sampling the mirrored image at s is sampling the original at F·s: the flip joins the matrix.
                double[] mirror = {item.flipHorizontal() ? -1 : 1, 0, 0, 0, item.flipVertical() ? -1 : 1, 0, 0, 0, 1};
                matrices[i] = multiply(mirror, samplingMatrix(item, x.size(2), x.size(3)));
                anyPerspective |= matrices[i][6] != 0 || matrices[i][7] != 0;
                moving++;
            } else {
                matrices[i] = identity();
                flipOnlyH[i] = item.flipHorizontal();
                flipOnlyV[i] = item.flipVertical();
                anyFlipOnly |= flipOnlyH[i] || flipOnlyV[i];
            }
        }
        // Items that only flip are mirrored exactly, without interpolation.
        Tensor out = anyFlipOnly ? flip(x, flipOnlyH, flipOnlyV) : x;
        if (moving == 0) {
            return out;
        }
        long[] size = {batch, x.size(1), x.size(2), x.size(3)};
        Tensor grid = anyPerspective ? perspectiveGrid(x, matrices, size) : affineGrid(x, matrices, size);
        // Bilinear weights sum to 1 only up to rounding: keep the result inside the 0..1 range of the input.
        Tensor sampled = torch.grid_sampler(x, grid, BILINEAR, paddingCode, true)
                .clamp_(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(1.0)));
        return moving == batch ? sampled : torch.where(itemMask(moves, x), sampled, out);
    }

    /** Mirrors the chosen items exactly (a copy of pixels, no resampling); the others keep their values. */
    static Tensor flip(Tensor x, boolean[] horizontal, boolean[] vertical) {
        Tensor out = x;
        if (any(horizontal)) {
            out = torch.where(itemMask(horizontal, out), out.flip(3), out);
        }
        if (any(vertical)) {
            out = torch.where(itemMask(vertical, out), out.flip(2), out);
        }
        return out;
    }

    private static Tensor affineGrid(Tensor x, double[][] matrices, long[] size) {
        int batch = matrices.length;
        float[] theta = new float[batch * 6];
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < 6; k++) {
                theta[i * 6 + k] = (float) matrices[i][k];
            }
        }
        return torch.affine_grid(onDeviceOf(x, Tensor.create(theta, batch, 2, 3)), size, true);
    }

    // The identity grid of affine_grid, mapped through each item's 3x3 matrix T: (x, y) -> (T·[x y 1]) / w.
    private static Tensor perspectiveGrid(Tensor x, double[][] matrices, long[] size) {
        int batch = matrices.length;
        long pixels = size[2] * size[3];
        float[] identityTheta = new float[batch * 6];
        float[] linear = new float[batch * 6];       // [B, 2, 3]: row r holds the weights of input coordinate r
        float[] translation = new float[batch * 3];  // [B, 1, 3]
        for (int i = 0; i < batch; i++) {
            identityTheta[i * 6] = 1;
            identityTheta[i * 6 + 4] = 1;
            double[] t = matrices[i];
            for (int out = 0; out < 3; out++) {
                linear[i * 6 + out] = (float) t[out * 3];
                linear[i * 6 + 3 + out] = (float) t[out * 3 + 1];
                translation[i * 3 + out] = (float) t[out * 3 + 2];
            }
        }
        Tensor base = torch.affine_grid(onDeviceOf(x, Tensor.create(identityTheta, batch, 2, 3)), size, true)
                .reshape(batch, pixels, 2);
        Tensor mapped = base.bmm(onDeviceOf(x, Tensor.create(linear, batch, 2, 3)))
                .add_(onDeviceOf(x, Tensor.create(translation, batch, 1, 3)));
        return mapped.narrow(2, 0, 2).div(mapped.narrow(2, 2, 1)).reshape(batch, size[2], size[3], 2);
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

    private static boolean any(boolean[] values) {
        for (boolean v : values) {
            if (v) {
                return true;
            }
        }
        return false;
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
