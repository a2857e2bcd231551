package io.pollingevents.store;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts secrets at rest (API keys, OAuth2 tokens, signature keys) with AES-256-GCM. Values are stored as
 * {@code enc:v1:<Base64(iv | ciphertext)>}; values without that prefix (written before encryption was on)
 * are read as they are.
 */
public final class SecretCipher {
    private static final String PREFIX = "enc:v1:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private SecretCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The cipher for {@code polling.secrets.key} (Base64 of 32 bytes), or, when that is empty, for the key in
     * {@code keyFile}, which is created with a random key on first use.
     */
    public static SecretCipher fromConfiguration(String base64Key, Path keyFile) {
        if (base64Key != null && !base64Key.isBlank()) {
            return new SecretCipher(decodeKey(base64Key.trim(), "polling.secrets.key"));
        }
        try {
            if (!Files.exists(keyFile)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                if (keyFile.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(keyFile.toAbsolutePath().getParent());
                }
                Files.writeString(keyFile, Base64.getEncoder().encodeToString(fresh) + "\n");
                try {
                    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the file system decides
                }
            }
            return new SecretCipher(decodeKey(Files.readString(keyFile).trim(), keyFile.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the secrets key file " + keyFile
                    + " (polling.secrets.key-file); set polling.secrets.key instead", e);
        }
    }

    private static byte[] decodeKey(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not Base64; generate one with: openssl rand -base64 32");
        }
        if (key.length != 32) {
            throw new IllegalStateException(where + " holds " + key.length + " bytes; AES-256 needs 32 (openssl rand -base64 32)");
        }
        return key;
    }

    public String encrypt(String plain) {
        if (plain == null || plain.startsWith(PREFIX)) {
            return plain;
        }
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored secret cannot be decrypted: this engine's secrets key "
                    + "(polling.secrets.key or polling.secrets.key-file) is not the one that encrypted it. "
                    + "Every node must use the same key.", e);
        }
    }
}
