/** An error to be rendered in the wire shape of the calling protocol. */
export class AwsError extends Error {
  constructor(
    public code: string,
    message: string,
    public status = 400,
    public type: "Sender" | "Receiver" = "Sender",
    /** Code to use for JSON-protocol services when it differs from the query code. */
    public jsonCode?: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const accessDenied = (message: string) => new AwsError("AccessDenied", message, 403, "Sender", "AccessDeniedException");

export const throttling = () => new AwsError("Throttling", "Rate exceeded", 400, "Sender", "ThrottlingException");

export const slowDown = () => new AwsError("SlowDown", "Please reduce your request rate.", 503, "Receiver");

export const internalFailure = (message = "We encountered an internal error. Please try again.") =>
  new AwsError("InternalFailure", message, 500, "Receiver");

export const serviceUnavailable = () =>
  new AwsError("ServiceUnavailable", "Service is unavailable. Please try again.", 503, "Receiver", "ServiceUnavailableException");

export const invalidClientTokenId = () =>
  new AwsError(
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    403,
    "Sender",
    "UnrecognizedClientException",
  );

export const expiredToken = () =>
  new AwsError("ExpiredToken", "The security token included in the request is expired", 400, "Sender", "ExpiredTokenException");

export const missingAuth = () =>
  new AwsError(
    "MissingAuthenticationToken",
    "Request is missing Authentication Token",
    403,
    "Sender",
    "MissingAuthenticationTokenException",
  );

export const validationError = (message: string) => new AwsError("ValidationError", message, 400, "Sender", "ValidationException");
