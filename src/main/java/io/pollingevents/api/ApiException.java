package io.pollingevents.api;

/** An API error with its HTTP status. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 404 for an instance id that is not stored. */
    public static ApiException noInstance(long id) {
        return new ApiException(404, "no instance with id " + id);
    }
}
