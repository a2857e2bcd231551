package io.pollingevents.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.config.ConfigKeys;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.config.SecretFields;
import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.store.SecretCipher;
import io.pollingevents.store.StoredInstance;

import java.time.Instant;

/** Turns stored instance rows into validated definitions and back: secrets are encrypted at rest, plain in memory. */
public final class StoredInstances {
    private final ObjectMapper mapper;
    private final InstanceParser parser;
    private final ElementRegistry elements;
    private final SecretCipher cipher;

    public StoredInstances(ObjectMapper mapper, InstanceParser parser, ElementRegistry elements, SecretCipher cipher) {
        this.mapper = mapper;
        this.parser = parser;
        this.elements = elements;
        this.cipher = cipher;
    }

    /** The stored body with its secrets decrypted. */
    public ObjectNode body(StoredInstance stored) throws JsonProcessingException {
        ObjectNode body = (ObjectNode) mapper.readTree(stored.body());
        String hubMode = body.path("configuration").path(ConfigKeys.HUB_MODE).asText(null);
        return SecretFields.transform(body, elements.find(stored.elementKey(), hubMode).orElse(null), cipher::decrypt);
    }

    /**
     * The definition the engine polls with.
     *
     * @throws io.pollingevents.config.InvalidInstanceException when the stored body no longer validates
     */
    public InstanceDefinition definition(StoredInstance stored) throws JsonProcessingException {
        return parser.parse(body(stored)).withIdentity(stored.id(), stored.token(), Instant.ofEpochMilli(stored.createdAt()));
    }

    /** The text to store for a body, its secrets encrypted. */
    public String storedText(ObjectNode body, ElementDescriptor element) throws JsonProcessingException {
        return mapper.writeValueAsString(SecretFields.transform(body, element, cipher::encrypt));
    }
}
