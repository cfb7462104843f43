package dev.kodiak.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the image files of a predict request: the multipart field {@code file} (repeated for several images), or
 * the whole body when it is not multipart. Enforces the byte and file-count limits before anything is decoded. Internal.
 */
final class RequestImages {
    static final String FIELD = "file";

    private RequestImages() {
    }

    /** At most {@code maxFiles} images (more: 413, as such a request could never be answered). */
    static List<Upload> read(Context ctx, long maxBytes, int maxFiles) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        List<Upload> uploads = type.startsWith("multipart/") ? multipart(ctx, maxBytes, maxFiles) : List.of(raw(ctx, maxBytes));
        if (uploads.isEmpty() || uploads.size() == 1 && uploads.get(0).bytes().length == 0 && !type.startsWith("multipart/")) {
            throw new ApiError(400, "no file in the request: send it as the multipart field '" + FIELD
                    + "' (several files: repeat the field) or as the raw request body");
        }
        return uploads;
    }

    private static List<Upload> multipart(Context ctx, long maxBytes, int maxFiles) {
        List<UploadedFile> files;
        try {
            files = ctx.uploadedFiles(FIELD);
            if (files.isEmpty()) {
                files = ctx.uploadedFiles();
            }
        } catch (Exception e) { // Jetty's ServletException arrives unchecked through Kotlin
            ApiError slow = UploadGate.timeout(e);
            if (slow != null) {
                throw slow;
            }
            if (mentionsSize(e)) {
                throw tooLarge(maxBytes);
            }
            if (rootMessage(e).contains("too many keys")) { // Jetty's own limit on parts, above ours
                throw tooMany(maxFiles);
            }
            throw new ApiError(400, "the multipart request cannot be read: " + rootMessage(e));
        }
        if (files.isEmpty()) {
            throw new ApiError(400, "no file in the multipart request: add the image as the field '" + FIELD + "'");
        }
        if (files.size() > maxFiles) {
            throw tooMany(maxFiles);
        }
        List<Upload> uploads = new ArrayList<>(files.size());
        long total = 0;
        for (UploadedFile f : files) {
            try (InputStream in = f.content()) {
                byte[] bytes = capped(in, maxBytes - total, maxBytes);
                total += bytes.length;
                uploads.add(new Upload(f.filename(), bytes));
            } catch (IOException e) {
                throw new ApiError(400, "the upload " + f.filename() + " cannot be read: " + e.getMessage());
            }
        }
        return uploads;
    }

    private static Upload raw(Context ctx, long maxBytes) {
        try (InputStream in = ctx.req().getInputStream()) {
            String name = ctx.queryParam("name");
            return new Upload(name != null ? name : "request body", capped(in, maxBytes, maxBytes));
        } catch (IOException e) {
            ApiError slow = UploadGate.timeout(e);
            if (slow != null) {
                throw slow;
            }
            if (mentionsSize(e)) {
                throw tooLarge(maxBytes);
            }
            throw new ApiError(400, "the request body cannot be read: " + e.getMessage());
        }
    }

    // Reads at most `left` bytes; one more means the request is over the limit.
    private static byte[] capped(InputStream in, long left, long maxBytes) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, Math.max(0, left) + 1));
        if (bytes.length > left) {
            throw tooLarge(maxBytes);
        }
        return bytes;
    }

    static ApiError tooLarge(long maxBytes) {
        return new ApiError(413, "the request is larger than the limit of " + ServeOptions.megabytes(maxBytes)
                + "; send a smaller file (or start the server with a larger --max-upload)");
    }

    static ApiError tooMany(int maxFiles) {
        return new ApiError(413, "the request carries more than " + maxFiles + " images, the most one request may carry "
                + "(the server's queue, --queue); send them in several requests");
    }

    private static boolean mentionsSize(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            // Jetty says "max length exceeded: N" or "Request exceeds maxRequestSize"
            if ((m.contains("size") || m.contains("length")) && (m.contains("max") || m.contains("exceed"))
                    || m.contains("too large") || t.getClass().getSimpleName().contains("TooLarge")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
