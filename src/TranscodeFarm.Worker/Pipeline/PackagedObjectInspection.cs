using TranscodeFarm.Core.Packaging;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>
/// A check the publisher runs on every init and media segment before it uploads it (say, a packaged-segment verifier).
/// A non-null answer is the problem: the job fails at stage qc with it, and nothing of the attempt stays in the store.
/// Registered in DI; <see cref="None"/> unless something replaces it.
/// </summary>
public sealed class PackagedObjectInspection(Func<PackagedObject, CancellationToken, ValueTask<string?>>? inspect)
{
    public static readonly PackagedObjectInspection None = new(null);

    public ValueTask<string?> InspectAsync(PackagedObject packaged, CancellationToken cancellationToken) =>
        inspect is null ? ValueTask.FromResult<string?>(null) : inspect(packaged, cancellationToken);
}

/// <summary>The inspection refused an object: the attempt ends at stage qc with <see cref="Exception.Message"/>.</summary>
public sealed class PackagedObjectRejectedException(string problem) : Exception(problem);
