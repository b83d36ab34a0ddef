using Microsoft.Extensions.Options;
using TranscodeFarm.Core.Fingerprints;
using TranscodeFarm.Catalog;
using TranscodeFarm.Storage;

namespace TranscodeFarm.Worker;

/// <summary>Start-time checks; each message names the setting as it is written in configuration.</summary>
public sealed class FarmOptionsValidator : IValidateOptions<FarmOptions>
{
    public ValidateOptionsResult Validate(string? name, FarmOptions o) =>
        string.IsNullOrWhiteSpace(o.DataDirectory)
            ? ValidateOptionsResult.Fail("Farm:DataDirectory must be set")
            : ValidateOptionsResult.Success;
}

public sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions o)
    {
        var errors = new List<string>();
        if (o.Slots is < 1 or > 64)
        {
            errors.Add($"Worker:Slots must be between 1 and 64 (got {o.Slots})");
        }

        if (o.LeaseDuration < TimeSpan.FromSeconds(2))
        {
            errors.Add($"Worker:LeaseDuration must be at least 00:00:02 (got {o.LeaseDuration})");
        }

        if (o.HeartbeatInterval <= TimeSpan.Zero || o.HeartbeatInterval * 2 > o.LeaseDuration)
        {
            errors.Add($"Worker:HeartbeatInterval ({o.HeartbeatInterval}) must be positive and at most half of Worker:LeaseDuration ({o.LeaseDuration})");
        }

        if (o.PollInterval <= TimeSpan.Zero)
        {
            errors.Add("Worker:PollInterval must be positive");
        }

        if (o.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"Worker:MaxAttempts must be between 1 and 100 (got {o.MaxAttempts})");
        }

        if (o.PublishConcurrency is < 1 or > 64)
        {
            errors.Add($"Worker:PublishConcurrency must be between 1 and 64 (got {o.PublishConcurrency})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

public sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions o)
    {
        var errors = new List<string>();
        if (o.StableFor < TimeSpan.Zero)
        {
            errors.Add("Ingest:StableFor must not be negative");
        }

        if (o.ScanInterval <= TimeSpan.Zero)
        {
            errors.Add("Ingest:ScanInterval must be positive");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

public sealed class FingerprintOptionsValidator : IValidateOptions<FingerprintOptions>
{
    public ValidateOptionsResult Validate(string? name, FingerprintOptions o)
    {
        var errors = new List<string>();
        if (o.Duplicates is not (IngestPolicy.Tag or IngestPolicy.AliasPolicy or IngestPolicy.Off))
        {
            errors.Add($"Fingerprint:Duplicates must be tag, alias or off (got '{o.Duplicates}')");
        }

        if (o.DuplicateCoverage is <= 0 or > 1 || double.IsNaN(o.DuplicateCoverage))
        {
            errors.Add($"Fingerprint:DuplicateCoverage must be in (0, 1] (got {o.DuplicateCoverage})");
        }

        foreach (var (collection, c) in o.Collections)
        {
            if (!FingerprintCollections.IsValidName(collection) || collection == FingerprintCollections.Assets)
            {
                errors.Add($"Fingerprint:Collections:{collection}: a collection name is lower-case letters, digits, '-' or '_', and not 'assets'");
            }

            if (!IngestPolicy.IsCollectionPolicy(c.Policy))
            {
                errors.Add($"Fingerprint:Collections:{collection}:Policy must be reject, reject-audio-only or tag (got '{c.Policy}')");
            }
        }

        if (o.RefreshInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Fingerprint:RefreshInterval must be at least 00:00:01 (got {o.RefreshInterval})");
        }

        if (o.MaxMatches is < 1 or > 100)
        {
            errors.Add($"Fingerprint:MaxMatches must be between 1 and 100 (got {o.MaxMatches})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

public sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions o)
    {
        var errors = new List<string>();
        if (o.CreateBucket && !o.IsS3)
        {
            errors.Add($"Store:CreateBucket=true needs an s3:// Store:Url (the filesystem store makes its folder itself; got Store:Url '{o.Url}')");
        }

        if (o.MaxRetries is < 0 or > 20)
        {
            errors.Add($"Store:MaxRetries must be between 0 and 20 (got {o.MaxRetries})");
        }

        if (o.RetryBaseDelay <= TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay)
        {
            errors.Add($"Store:RetryBaseDelay ({o.RetryBaseDelay}) must be positive and at most Store:RetryMaxDelay ({o.RetryMaxDelay})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
