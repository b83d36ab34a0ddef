using System.Security.Cryptography;
using TranscodeFarm.Core.Assets;

namespace TranscodeFarm.Storage;

/// <summary>One step of <see cref="StoreReadiness"/>: "bucket", "write", "read" or "delete", whether it worked, and what it found.</summary>
public sealed record StoreStep(string Name, bool Ok, string Detail);

/// <summary>
/// Whether a host can publish to a store, checked the way publishing uses it: (optionally) create the bucket, put a small
/// probe object under <see cref="ObjectKeys.ReservedPrefix"/>, read it back and compare, delete it. <c>store init</c> and the
/// workers' <c>store-write</c> health check both run it; each step is reported as it ends, and the first failure ends the run.
/// </summary>
public static class StoreReadiness
{
    public static async Task<IReadOnlyList<StoreStep>> CheckAsync(IObjectStore store, string probeKey, bool createBucket, Action<StoreStep>? report, CancellationToken cancellationToken)
    {
        var steps = new List<StoreStep>(4);
        var step = "bucket";
        void Add(bool ok, string detail)
        {
            var s = new StoreStep(step, ok, detail);
            steps.Add(s);
            report?.Invoke(s);
        }

        var body = RandomNumberGenerator.GetBytes(32);
        try
        {
            if (createBucket)
            {
                Add(true, await store.CreateBucketAsync(cancellationToken) ? "created" : "exists");
            }

            step = "write";
            var put = await store.PutAsync(probeKey, new MemoryStream(body, writable: false), new ObjectProperties("application/octet-stream", "no-store"), cancellationToken);
            Add(true, $"{probeKey} ({put.Length} bytes)");

            step = "read";
            var problem = await ReadBackAsync(store, probeKey, body, cancellationToken);
            Add(problem is null, problem ?? "same bytes");
            if (problem is not null)
            {
                return steps;
            }

            step = "delete";
            await store.DeleteAsync(probeKey, cancellationToken);
            Add(true, "deleted");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or ArgumentException)
        {
            Add(false, ex.Message);
        }

        return steps;
    }

    /// <summary>The first step that failed, or null when every step worked.</summary>
    public static StoreStep? Failure(IReadOnlyList<StoreStep> steps) => steps.FirstOrDefault(s => !s.Ok);

    private static async Task<string?> ReadBackAsync(IObjectStore store, string key, byte[] written, CancellationToken cancellationToken)
    {
        await using var got = await store.GetAsync(key, null, cancellationToken);
        if (got is null)
        {
            return "the object just written is not there";
        }

        var back = new MemoryStream();
        await got.Stream.CopyToAsync(back, cancellationToken);
        return back.ToArray().AsSpan().SequenceEqual(written) ? null : $"read back {back.Length} bytes that differ from the {written.Length} written";
    }
}
