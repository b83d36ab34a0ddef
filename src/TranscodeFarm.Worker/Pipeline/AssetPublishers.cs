using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker.Pipeline;

/// <summary>Makes each attempt its own <see cref="AssetPublisher"/>, writing under the claim's generation.</summary>
public sealed class AssetPublishers(IObjectStore store, IOptions<WorkerOptions> options, PackagedObjectInspection inspection)
{
    // Everything an attempt writes goes under its own generation: a worker that lost its lease can neither overwrite
    // nor delete what the attempt that took over writes, and two attempts' objects never mix.
    public AssetPublisher For(JobRecord claim) => new(store, claim.Id, claim.Generation, options.Value.PublishConcurrency, inspection);
}
