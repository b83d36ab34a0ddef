using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Worker.Ingest;

/// <summary>
/// A source an ingest now owns (a drop-folder file renamed into .processing/, an S3 object copied to PREFIX.processing/),
/// ready to submit.
/// </summary>
/// <param name="SourcePath">Where the claimed copy is: the job's source path.</param>
/// <param name="Name">The producer's name for it (done/ and failed/ keep it).</param>
/// <param name="ContentHash">SHA-256 of the bytes the farm read, the same for every origin.</param>
/// <param name="Origin">Which ingest claimed it.</param>
/// <param name="Options">The producer's choices (its sidecar), or the defaults.</param>
public sealed record ClaimedSource(string SourcePath, string Name, string ContentHash, JobOrigin Origin, SourceOptions Options);

/// <summary>What <see cref="IngestSubmitter"/> did with a <see cref="ClaimedSource"/>; the ingest then settles the copy.</summary>
public sealed record IngestResult(IngestOutcome Outcome, JobRecord Job);
