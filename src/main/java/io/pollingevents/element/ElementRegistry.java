package io.pollingevents.element;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The element descriptors known to the engine: the built-in ones shipped in the jar, overridden or
 * extended by {@code *.yaml} files in the configured elements directory.
 */
public final class ElementRegistry {
    static final String[] BUILT_IN = {"smartrecruiters", "maximizer", "http"};
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The {@code hub.mode} value that polls an Open Connectors tenant instead of the vendor. */
    public static final String OPEN_CONNECTORS_MODE = "openconnectors";

    private final Map<String, ElementDescriptor> descriptors = new TreeMap<>();
    /** Each element's Open Connectors form, made once: polls look it up every time. */
    private final Map<String, ElementDescriptor> viaOpenConnectors = new TreeMap<>();

    private ElementRegistry() {
    }

    /** Loads the built-in descriptors, then every {@code *.yaml} in {@code directory} if it exists. */
    public static ElementRegistry load(Path directory) {
        ElementRegistry registry = new ElementRegistry();
        for (String key : BUILT_IN) {
            String resource = "elements/" + key + ".yaml";
            try (InputStream in = ElementRegistry.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Built-in element descriptor " + resource + " is missing from the classpath");
                }
                registry.add(YAML.readValue(in, ElementDescriptor.class), resource);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read built-in element descriptor " + resource, e);
            }
        }
        if (directory != null && Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    try {
                        registry.add(YAML.readValue(file.toFile(), ElementDescriptor.class), file.toString());
                    } catch (IOException e) {
                        throw new IllegalStateException("Element descriptor " + file + " is not valid: "
                                + e.getMessage(), e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list element descriptors in " + directory, e);
            }
        }
        return registry;
    }

    private void add(ElementDescriptor descriptor, String source) {
        if (descriptor.key() == null || descriptor.key().isBlank()) {
            throw new IllegalStateException("Element descriptor " + source + " has no 'key'");
        }
        List<String> problems = descriptor.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Element descriptor " + source + ": " + String.join("; ", problems));
        }
        descriptors.put(descriptor.key(), descriptor);
        viaOpenConnectors.put(descriptor.key(), descriptor.viaOpenConnectors());
    }

    public Optional<ElementDescriptor> find(String key) {
        return Optional.ofNullable(descriptors.get(key));
    }

    /**
     * The element as an instance polls it: with {@code hub.mode} {@value #OPEN_CONNECTORS_MODE}, its Open Connectors
     * form ({@link ElementDescriptor#viaOpenConnectors()}); otherwise the vendor's own API.
     */
    public Optional<ElementDescriptor> find(String key, String hubMode) {
        return Optional.ofNullable((OPEN_CONNECTORS_MODE.equals(hubMode) ? viaOpenConnectors : descriptors).get(key));
    }

    public java.util.Set<String> keys() {
        return descriptors.keySet();
    }
}
