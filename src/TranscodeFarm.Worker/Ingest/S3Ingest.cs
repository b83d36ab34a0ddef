namespace TranscodeFarm.Worker.Ingest;

/// <summary>The S3 ingest location when Ingest:S3Url is set, else null (so services can take it unconditionally).</summary>
public sealed class S3Ingest(S3IngestLocation? location)
{
    public S3IngestLocation? Location { get; } = location;
}
