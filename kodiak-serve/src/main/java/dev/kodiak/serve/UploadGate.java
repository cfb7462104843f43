package dev.kodiak.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds what request bodies can cost, in front of the routes. A request thread blocks while it reads a body, so a
 * client sending one byte every few seconds holds a thread: without bounds a few dozen such clients take every
 * thread and even {@code /healthz} stops answering. So, when a request with a body arrives (before any of it is read):
 * <ul>
 *   <li>at most {@code maxUploads} such requests are read at once (fewer than the threads); one more is answered at
 *       once with 503 and {@code Retry-After}, holding nothing;</li>
 *   <li>an admitted body must arrive whole within {@code bodyTimeoutMillis} of the request's headers, however it
 *       trickles in: after that every read fails with a {@link TimeoutException} (the routes answer 408).</li>
 * </ul>
 * The connector's idle timeout bounds each pause in between. Requests without a body pass straight through. Internal.
 */
final class UploadGate extends Handler.Wrapper {
    private final int maxUploads;
    private final Semaphore slots;
    private final long bodyTimeoutMillis;
    private final Consumer<Request> onRefused;

    UploadGate(int maxUploads, long bodyTimeoutMillis, Consumer<Request> onRefused) {
        this.maxUploads = maxUploads;
        this.slots = new Semaphore(maxUploads);
        this.bodyTimeoutMillis = bodyTimeoutMillis;
        this.onRefused = onRefused;
    }

    /** Requests with a body being read or answered now. */
    int inProgress() {
        return maxUploads - slots.availablePermits();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!hasBody(request)) {
            return super.handle(request, response, callback);
        }
        if (!slots.tryAcquire()) {
            onRefused.accept(request);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            response.getHeaders().put(HttpHeader.CONNECTION, "close"); // its body is never read
            JsonErrorHandler.write(response, 503, "the server is busy: " + maxUploads
                    + " uploads are already being received; try again in a second", callback);
            return true;
        }
        AtomicBoolean released = new AtomicBoolean();
        Deadline deadline = new Deadline(request, bodyTimeoutMillis);
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                deadline.cancel();
                slots.release();
            }
        };
        try {
            boolean handled = super.handle(deadline, response, Callback.from(callback, release));
            if (!handled) {
                release.run();
            }
            return handled;
        } catch (Throwable t) {
            release.run();
            throw t;
        }
    }

    // HTTP/1.1 bodies have a Content-Length or are chunked; GET /healthz has neither.
    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** The 408 for a body that stopped arriving or came too slowly, or null when {@code e} is no read timeout. */
    static ApiError timeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) {
                String m = String.valueOf(t.getMessage());
                return new ApiError(408, m.startsWith("the request body") ? m
                        : "the request body stopped arriving (" + m + "); send it again");
            }
        }
        return null;
    }

    /**
     * The request as the routes see it: once the deadline has passed, reads fail with a {@link TimeoutException}, and
     * a reader waiting for more bytes is woken to see that failure (so its thread is freed, not held until the client
     * sends again).
     */
    private static final class Deadline extends Request.Wrapper {
        private final AtomicReference<Runnable> waiting = new AtomicReference<>();
        private final Scheduler.Task task;
        private final long millis;
        private volatile boolean expired;
        private volatile boolean whole; // the body has arrived: the deadline no longer matters

        Deadline(Request request, long millis) {
            super(request);
            this.millis = millis;
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getHeadersNanoTime());
            this.task = request.getComponents().getScheduler().schedule(this::expire, Math.max(0, millis - elapsed),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public Content.Chunk read() {
            if (expired && !whole) {
                return Content.Chunk.from(failure(), true);
            }
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast() && !Content.Chunk.isFailure(chunk)) {
                whole = true;
                task.cancel();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable onContentAvailable) {
            if (expired && !whole) {
                onContentAvailable.run();
                return;
            }
            waiting.set(onContentAvailable);
            super.demand(() -> {
                if (waiting.compareAndSet(onContentAvailable, null)) {
                    onContentAvailable.run();
                }
            });
        }

        private void expire() {
            if (whole) {
                return;
            }
            expired = true;
            Runnable reader = waiting.getAndSet(null);
            if (reader != null) {
                reader.run(); // on the scheduler's thread: the request threads may all be busy
            }
        }

        private TimeoutException failure() {
            return new TimeoutException("the request body did not arrive within " + ServeOptions.seconds(millis)
                    + " (the server's limit for one request); send it again on a faster connection");
        }

        void cancel() {
            task.cancel();
        }
    }
}
