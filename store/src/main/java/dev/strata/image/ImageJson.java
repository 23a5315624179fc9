package dev.strata.image;

import dev.strata.error.BadContentException;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper for image formats: lenient about unknown fields, strict about the ones it reads. */
public final class ImageJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ImageJson() {
    }

    /** Parses {@code bytes} as {@code type}; the error names {@code what} (a file, a blob digest). */
    public static <T> T read(byte[] bytes, Class<T> type, String what) throws BadContentException {
        if (type == ImageConfig.class) {
            Optional<ImageConfig> fast = readImageConfig(bytes);
            if (fast.isPresent()) {
                return type.cast(fast.get());
            }
        }
        try {
            return MAPPER.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new BadContentException(what + " is not valid JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    /** An image config through {@link ImageConfigReader}, or empty when only the bean mapping can read it. */
    static Optional<ImageConfig> readImageConfig(byte[] bytes) {
        try {
            return ImageConfigReader.read(MAPPER.readTree(bytes));
        } catch (JacksonException e) {
            return Optional.empty(); // the bean mapping reports it
        }
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }
}
