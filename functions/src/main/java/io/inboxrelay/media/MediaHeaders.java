package io.inboxrelay.media;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The headers of a proxied media answer: what the browser may do with bytes a lead sent. */
public final class MediaHeaders {

    /** WhatsApp media never changes once sent; private, because the bytes are the tenant's. */
    public static final String CACHE_CONTROL = "private, max-age=86400";
    static final String FALLBACK_TYPE = "application/octet-stream";

    private static final String TOKEN = "[A-Za-z0-9!#$&^_.+-]{1,127}";
    private static final Pattern MIME_TYPE = Pattern.compile(TOKEN + "/" + TOKEN
            + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"[^\"\\\\\\p{Cntrl}]{0,200}\"))*");
    /** Types a browser would run or render as a page: never inline, whatever the gateway or the lead claims. */
    private static final Pattern ACTIVE = Pattern.compile("(text/html|text/xml|application/xml|application/xhtml\\+xml"
            + "|image/svg\\+xml|text/javascript|application/javascript|application/ecmascript|text/ecmascript)(\\s*;.*)?");
    /** RFC 8187 attr-char: what may stand unescaped in {@code filename*}. */
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";
    private static final int MAX_FILE_NAME_CHARS = 200;

    private MediaHeaders() {
    }

    /**
     * The answer's Content-Type: the gateway's, else the type the webhook announced, else {@code application/octet-stream}.
     * A gateway saying only {@code application/octet-stream} has not said, and a malformed type (a header injection) is none.
     */
    public static String contentType(String fromGateway, String stored) {
        if (valid(fromGateway) && !fromGateway.trim().toLowerCase(Locale.ROOT).startsWith(FALLBACK_TYPE)) {
            return fromGateway.trim();
        }
        if (valid(stored)) {
            return stored.trim();
        }
        return valid(fromGateway) ? fromGateway.trim() : FALLBACK_TYPE;
    }

    /**
     * {@code inline}, so the page shows images, video and audio; {@code attachment} for documents (and anything a
     * browser would render as a page), with the file name the lead gave it (RFC 6266: an ASCII {@code filename} and the
     * exact UTF-8 {@code filename*}).
     *
     * @param mediaType   the stored media type (image, video, audio, document, sticker, other)
     * @param contentType the answer's Content-Type
     * @param fileName    the stored file name, or null
     */
    public static String contentDisposition(String mediaType, String contentType, String fileName) {
        boolean attachment = "document".equals(mediaType) || "other".equals(mediaType)
                || ACTIVE.matcher(contentType.toLowerCase(Locale.ROOT)).matches();
        if (!attachment) {
            return "inline";
        }
        String name = baseName(fileName);
        if (name.isEmpty()) {
            return "attachment";
        }
        return "attachment; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + percentEncoded(name);
    }

    /** Every header of a media answer but CORS. */
    public static Map<String, String> of(String contentType, String disposition) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Disposition", disposition);
        headers.put("Cache-Control", CACHE_CONTROL);
        headers.put("X-Content-Type-Options", "nosniff");
        // Opened directly, the bytes run nothing and load nothing, even if a type slipped through as a page.
        headers.put("Content-Security-Policy", "default-src 'none'; sandbox");
        return headers;
    }

    private static boolean valid(String type) {
        return type != null && MIME_TYPE.matcher(type.trim()).matches();
    }

    // A name is a name, never a path, and holds no control characters; very long names are cut.
    private static String baseName(String fileName) {
        if (fileName == null) {
            return "";
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        name = name.replaceAll("\\p{Cntrl}", "").strip();
        if (name.equals(".") || name.equals("..")) {
            return "";
        }
        return name.codePointCount(0, name.length()) <= MAX_FILE_NAME_CHARS
                ? name : name.substring(0, name.offsetByCodePoints(0, MAX_FILE_NAME_CHARS));
    }

    private static String asciiFallback(String name) {
        StringBuilder ascii = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? (char) c : '_'));
        return ascii.toString();
    }

    private static String percentEncoded(String name) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || ATTR_CHARS.indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
