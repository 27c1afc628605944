using System.Net;

namespace FaceLogin.Domain.Aws.Rekognition;

/// <summary>
/// An error answered by Rekognition: the <c>__type</c> of its JSON error body (without the namespace before '#'),
/// its message and the HTTP status. Subclasses name the errors FaceLogin reacts to; anything else is this class.
/// </summary>
public class RekognitionException : Exception
{
    public RekognitionException(string errorType, string message, HttpStatusCode statusCode)
        : this(errorType, message, statusCode, innerException: null)
    {
    }

    /// <param name="innerException">What the HTTP layer threw when there was no answer at all (a time-out).</param>
    public RekognitionException(string errorType, string message, HttpStatusCode statusCode, Exception? innerException)
        : base($"Rekognition {errorType} ({(int)statusCode}): {message}", innerException)
    {
        ErrorType = errorType;
        ServiceMessage = message;
        StatusCode = statusCode;
    }

    public string ErrorType { get; }
    public string ServiceMessage { get; }
    public HttpStatusCode StatusCode { get; }

    /// <summary>Throttling and server-side failures: worth retrying after a pause.</summary>
    public virtual bool IsRetryable => (int)StatusCode >= 500;

    public static RekognitionException Create(string errorType, string message, HttpStatusCode statusCode) => errorType switch
    {
        "ThrottlingException" or "ProvisionedThroughputExceededException" => new RekognitionThrottlingException(errorType, message, statusCode),
        "InvalidParameterException" => new RekognitionInvalidParameterException(message, statusCode),
        "InvalidImageFormatException" => new RekognitionInvalidImageFormatException(message, statusCode),
        "ImageTooLargeException" => new RekognitionImageTooLargeException(message, statusCode),
        "ResourceNotFoundException" => new RekognitionResourceNotFoundException(message, statusCode),
        "ResourceAlreadyExistsException" => new RekognitionResourceAlreadyExistsException(message, statusCode),
        "AccessDeniedException" => new RekognitionAccessDeniedException(message, statusCode),
        _ => new RekognitionException(errorType, message, statusCode),
    };
}

public sealed class RekognitionThrottlingException(string errorType, string message, HttpStatusCode statusCode)
    : RekognitionException(errorType, message, statusCode)
{
    public override bool IsRetryable => true;
}

/// <summary>Among others, what SearchFacesByImage answers when the image holds no face.</summary>
public sealed class RekognitionInvalidParameterException(string message, HttpStatusCode statusCode)
    : RekognitionException("InvalidParameterException", message, statusCode);

public sealed class RekognitionInvalidImageFormatException(string message, HttpStatusCode statusCode)
    : RekognitionException("InvalidImageFormatException", message, statusCode);

public sealed class RekognitionImageTooLargeException(string message, HttpStatusCode statusCode)
    : RekognitionException("ImageTooLargeException", message, statusCode);

public sealed class RekognitionResourceNotFoundException(string message, HttpStatusCode statusCode)
    : RekognitionException("ResourceNotFoundException", message, statusCode);

public sealed class RekognitionResourceAlreadyExistsException(string message, HttpStatusCode statusCode)
    : RekognitionException("ResourceAlreadyExistsException", message, statusCode);

public sealed class RekognitionAccessDeniedException(string message, HttpStatusCode statusCode)
    : RekognitionException("AccessDeniedException", message, statusCode);
