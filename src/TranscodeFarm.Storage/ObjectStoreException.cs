namespace TranscodeFarm.Storage;

/// <summary>
/// A store operation failed. <see cref="Retryable"/> tells whether trying again later can help (throttling,
/// 5xx, timeouts) or not (wrong credentials, missing bucket): the job fails at once instead of retrying in a storm.
/// <see cref="Code"/> is the server's error code ("NoSuchBucket", "SignatureDoesNotMatch") when it sent one.
/// </summary>
public sealed class ObjectStoreException(string message, bool retryable, Exception? inner = null, string? code = null) : IOException(message, inner)
{
    public bool Retryable { get; } = retryable;

    public string? Code { get; } = code;
}
