package dev.kodiak.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before any route runs — a malformed request (400), a URL or headers over Jetty's
 * size limit (414, 431) — as the same {@code {"error": "..."}} JSON as every other error, instead of Jetty's HTML
 * page. Internal.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final int maxHeaderBytes;

    /** {@code maxHeaderBytes}: Jetty's limit on the request line and headers, named in the 414 and 431 messages. */
    JsonErrorHandler(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        setShowStacks(false);
    }

    // Jetty leaves the body out for methods other than GET, POST and HEAD (a malformed request has any method).
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        write(response, code, sentence(code, message), callback);
    }

    private String sentence(int code, String jettySays) {
        String limit = ServeOptions.megabytes(maxHeaderBytes);
        return switch (code) {
            case HttpStatus.URI_TOO_LONG_414 -> "the request's URL is too long: the request line may be at most "
                    + limit + "; send long data in the request body";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "the request's headers are too large: at most "
                    + limit + " in all; send fewer or shorter headers (cookies?)";
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "the request is too large (" + jettySays + ")";
            case HttpStatus.REQUEST_TIMEOUT_408 -> "the request did not arrive in time (" + jettySays + "); send it again";
            case HttpStatus.BAD_REQUEST_400 -> "malformed HTTP request: " + jettySays;
            default -> jettySays == null || jettySays.isBlank() ? HttpStatus.getMessage(code) : jettySays;
        };
    }

    /** Writes {@code {"error": message}} with {@code status} as the whole response. */
    static void write(Response response, int status, String message, Callback callback) {
        byte[] body;
        try {
            body = WebServer.JSON.writeValueAsBytes(Map.of("error", message));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
