using TranscodeFarm.Core.Jobs;

namespace TranscodeFarm.Core.Drm;

/// <summary>
/// What an operator allows an imported (CPIX) key set: which jobs may encrypt with it, and whether the edge may hand its
/// keys to token holders in clear (ClearKey licenses, <c>/keys/...</c>). A DRM vendor's keys are worth more than one
/// asset: a producer who could name the key set in a sidecar and then fetch its key with a token for their own asset
/// would hold the key of every title the vendor licenses under it.
/// </summary>
/// <remarks>
/// The farm knows producers only by where a job came from (<see cref="Submitters"/>) and by the profile it asks for.
/// Anyone who can write to the drop folder can name any profile, so the profile list narrows use, and the submitter list
/// (e.g. <c>submit</c> only: operators at the CLI) and <see cref="ClearDelivery"/> are what keep a hostile producer out.
/// </remarks>
public sealed record KeySetPolicy
{
    /// <summary>Key sets imported before policies existed: usable as before (no job breaks), never delivered in clear.</summary>
    public static readonly KeySetPolicy Unset = new() { IsUnset = true };

    /// <summary>Profiles whose jobs may use the key set; null: any profile.</summary>
    public IReadOnlyList<string>? Profiles { get; init; }

    /// <summary>Where jobs may come from (see <see cref="Submitters"/>); null: anywhere.</summary>
    public IReadOnlyList<JobOrigin>? Submitters { get; init; }

    /// <summary>The edge may deliver the keys in clear to token holders (ClearKey, HLS AES-128). Off unless the import said so.</summary>
    public bool ClearDelivery { get; init; }

    /// <summary>No policy was ever set (imported before policies existed).</summary>
    public bool IsUnset { get; init; }

    public bool IsUnrestricted => Profiles is null && Submitters is null;

    /// <summary>Null when a job of <paramref name="profile"/> from <paramref name="origin"/> may encrypt with the key
    /// set, otherwise the reason, for the producer.</summary>
    /// <param name="needsClearDelivery">The job's asset gets its keys from the edge (ClearKey or AES-128).</param>
    public string? RefusalFor(string keySet, string profile, JobOrigin origin, bool needsClearDelivery)
    {
        if (Profiles is not null && !Profiles.Contains(profile, StringComparer.Ordinal))
        {
            return $"key set '{keySet}' may not be used by profile '{profile}' (allowed: {List(Profiles)}): use an allowed profile, " +
                "or ask the farm operator to allow this one (`transcodefarm keys policy`)";
        }

        if (Submitters is not null && !Submitters.Contains(origin))
        {
            return $"key set '{keySet}' may not be used by jobs from {Describe(origin)} (allowed: {List(Submitters.Select(SubmitterName))}): " +
                "ask the farm operator to submit the job, or to allow this source (`transcodefarm keys policy`)";
        }

        if (needsClearDelivery && !ClearDelivery)
        {
            return $"key set '{keySet}' may not be delivered in clear, so it cannot protect a ClearKey or AES-128 asset: leave clearkey out " +
                "of drm.systems (its license comes from the DRM vendor), or ask the farm operator to allow clear delivery";
        }

        return null;
    }

    /// <summary>Null when the edge may hand a key of the key set to a token holder in clear, otherwise why not.</summary>
    public string? ClearDeliveryRefusal(string keySet) => ClearDelivery ? null
        : IsUnset
            ? $"key set '{keySet}' was imported before key set policies and is never delivered in clear (`transcodefarm keys policy {keySet} --allow-clear-delivery` to allow it)"
            : $"key set '{keySet}' may not be delivered in clear: its licenses come from the DRM vendor";

    /// <summary>One line for `keys list`.</summary>
    public string Describe() =>
        $"profiles: {(Profiles is null ? "any" : List(Profiles))}; submitters: {(Submitters is null ? "any" : List(Submitters.Select(SubmitterName)))}; " +
        $"clear delivery: {(ClearDelivery ? "allowed" : "never")}{(IsUnset ? " (no policy set: imported before policies)" : "")}";

    /// <summary>The names a policy uses for job origins: the drop folder, the S3 ingest prefix, the `submit` command.</summary>
    public static IReadOnlyList<string> SubmitterNames { get; } = ["drop", "s3", "submit"];

    public static string SubmitterName(JobOrigin origin) => origin switch
    {
        JobOrigin.DropFolder => "drop",
        JobOrigin.S3Prefix => "s3",
        JobOrigin.Submit => "submit",
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, null),
    };

    public static bool TryParseSubmitter(string name, out JobOrigin origin)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "drop":
                origin = JobOrigin.DropFolder;
                return true;
            case "s3":
                origin = JobOrigin.S3Prefix;
                return true;
            case "submit":
                origin = JobOrigin.Submit;
                return true;
            default:
                origin = default;
                return false;
        }
    }

    private static string Describe(JobOrigin origin) => origin switch
    {
        JobOrigin.DropFolder => "the drop folder",
        JobOrigin.S3Prefix => "the S3 ingest prefix",
        _ => "`transcodefarm submit`",
    };

    private static string List(IEnumerable<string> items) => items.Any() ? string.Join(", ", items) : "none";
}
