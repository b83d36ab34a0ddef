using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TranscodeFarm.Storage;
using TranscodeFarm.Worker;
using TranscodeFarm.Worker.Ingest;

namespace TranscodeFarm.WebConsole;

/// <summary>
/// The S3 ingest prefix whose failed/ the console lists, when <c>Ingest:S3Url</c> is set: the worker's own location on a
/// host that has one (<c>run</c>), else one made from the same settings (a farm <c>edge</c> does not scan the prefix but
/// has the store's endpoint and credentials, which the prefix shares).
/// </summary>
public sealed class ConsoleS3Ingest(IServiceProvider services, IOptions<IngestOptions> ingest, IOptions<StoreOptions> store)
{
    private readonly Lazy<S3IngestLocation?> _location = new(() =>
        services.GetService<S3Ingest>()?.Location
        ?? (string.IsNullOrEmpty(ingest.Value.S3Url) ? null : S3IngestLocation.Create(ingest.Value.S3Url, store.Value)));

    public S3IngestLocation? Location => _location.Value;
}
