package dev.tributary.emulator.msk;

/**
 * The MSK API's errors, written out as the model names them, with their HTTP status. The body is
 * {@code {"message": ..., "invalidParameter": ...}} and the name travels in {@code x-amzn-ErrorType}.
 */
public enum MskError {
    BAD_REQUEST("BadRequestException", 400),
    UNAUTHORIZED("UnauthorizedException", 401),
    FORBIDDEN("ForbiddenException", 403),
    NOT_FOUND("NotFoundException", 404),
    CONFLICT("ConflictException", 409),
    TOO_MANY_REQUESTS("TooManyRequestsException", 429),
    INTERNAL_SERVER_ERROR("InternalServerErrorException", 500),
    SERVICE_UNAVAILABLE("ServiceUnavailableException", 503);

    private final String code;
    private final int status;

    MskError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
