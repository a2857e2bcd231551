package io.pollingevents.store;

import java.util.Optional;

/** Engine-wide named values, such as generated API secrets. */
public interface SettingStore {
    Optional<String> get(String name);

    /** Stores the value unless one exists; returns the stored value. */
    String putIfAbsent(String name, String value);
}
