package dev.kodiak.gather;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a byte cap, so hostile or broken servers cannot exhaust memory. Strict:
 * a body (or a Content-Length) over the cap fails with {@link TooLarge} and the transfer is cancelled at once.
 * Lenient (for error and redirect bodies nobody needs in full): the first {@code cap} bytes are kept.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body is larger than allowed. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long cap;
    private final boolean strict;
    private final long declaredLength;
    private volatile Flow.Subscription subscription;

    CappedBody(long cap, boolean strict, long declaredLength) {
        this.cap = cap;
        this.strict = strict;
        this.declaredLength = declaredLength;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (strict && declaredLength > cap) {
            s.cancel();
            result.completeExceptionally(new TooLarge("the server announces " + declaredLength
                    + " bytes, over the limit of " + cap));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : items) {
            int n = buffer.remaining();
            if (out.size() + (long) n > cap) {
                subscription.cancel();
                if (strict) {
                    result.completeExceptionally(new TooLarge("the body goes on past the limit of " + cap + " bytes"));
                } else {
                    byte[] part = new byte[(int) (cap - out.size())];
                    buffer.get(part);
                    out.write(part, 0, part.length);
                    result.complete(out.toByteArray());
                }
                return;
            }
            byte[] chunk = new byte[n];
            buffer.get(chunk);
            out.write(chunk, 0, n);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** Stops the transfer (on a timeout). */
    void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        result.completeExceptionally(new CancellationException("cancelled"));
    }
}
