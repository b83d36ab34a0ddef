namespace TranscodeFarm.Storage;

/// <summary>
/// A store operation failed. <see cref="Retryable"/> tells whether trying again later can help (throttling,
/// 5xx, timeouts) or not (wrong credentials, missing bucket): the job fails at once instead of retrying in a storm.
/// </summary>
public sealed class ObjectStoreException(string message, bool retryable, Exception? inner = null) : IOException(message, inner)
{
    public bool Retryable { get; } = retryable;
}
