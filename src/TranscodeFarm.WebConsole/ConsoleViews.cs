using TranscodeFarm.Core.Jobs;
using TranscodeFarm.Queue;
using TranscodeFarm.Queue.Assets;

namespace TranscodeFarm.WebConsole;

/// <summary>What the console's pages read: jobs, workers and assets as JSON rows with names, never enum numbers.</summary>
public static class ConsoleViews
{
    public static JobRow Row(JobRecord j) => new(
        j.Id, j.State.ToWire(), j.SourceName, j.Title, j.Profile, j.Priority, j.Attempts, j.MaxAttempts, j.CreatedAt, j.UpdatedAt,
        j.State == JobState.Running ? j.Progress?.Stage.Name() : null,
        j.State == JobState.Running ? j.Progress?.Fraction : null,
        j.State == JobState.Running ? j.Progress?.Speed : null,
        j.Error?.Split('\n')[0], j.CancelRequested, j.State == JobState.Running ? j.LeaseOwner : null, j.Outputs?.AssetId,
        j.RequiredCapability, CanRetry: j.State is JobState.Failed or JobState.Dead or JobState.Cancelled,
        CanCancel: j.State is JobState.Queued or JobState.Running && !j.CancelRequested);

    public static JobDetail Detail(JobRecord j, IReadOnlyList<JobEvent> events) => new(
        Row(j), j.Error, j.SourcePath, j.Origin.ToString().ToLowerInvariant(),
        events.Select(e => new EventRow(e.At, e.State, e.WorkerId, e.Message)).ToList(),
        j.Outputs is { } o ? Outputs(o) : null);

    public static OutputView Outputs(JobOutputs o) => new(
        o.AssetId, "/vod/" + o.HlsMaster, o.DashManifest.Length > 0 ? "/vod/" + o.DashManifest : null, o.DurationSeconds, o.ObjectCount,
        o.TotalBytes, o.Generation, o.AliasOf, o.SourceScan, o.Notes ?? [],
        o.Renditions.Select(r => new RenditionView(r.Name, r.Kind, r.Width, r.Height, r.BitrateKbps, r.Codec, r.Colour)).ToList(),
        (o.Matches ?? []).Select(m => new MatchView(m.Collection, m.EntryId, m.Name, m.Kind, m.Score, m.OffsetSeconds, m.MatchedSeconds)).ToList());

    /// <param name="alive">Heartbeats older than this mean the worker is silent (the lease duration, as `transcodefarm workers`).</param>
    public static WorkerRow Worker(WorkerInfo w, DateTimeOffset now, TimeSpan alive) => new(
        w.Id, w.Host, w.Capabilities, w.Slots, w.Version, w.StartedAt, w.HeartbeatAt, Math.Max(0, (now - w.HeartbeatAt).TotalSeconds),
        now - w.HeartbeatAt < alive);

    /// <param name="job">The newest succeeded job that published this asset, when there is one.</param>
    public static AssetRow Asset(AssetRecord a, JobRecord? job) => new(
        a.AssetId, a.State.ToString().ToLowerInvariant(), a.Generation, a.ChangeSeq, a.ChangedAt, a.RequireToken, a.Reason, job?.Id, job?.SourceName,
        job?.Drm is { } d && d.Scheme != "none" ? new DrmView(d.Scheme, d.Systems, d.KeySet) : null,
        job?.Outputs is { } o ? Outputs(o) : null);
}

public sealed record JobRow(
    string Id, string State, string Source, string? Title, string Profile, int Priority, int Attempts, int MaxAttempts, DateTimeOffset Created,
    DateTimeOffset Updated, string? Stage, double? Fraction, double? Speed, string? Error, bool CancelRequested, string? Worker, string? Asset,
    string? Capability, bool CanRetry, bool CanCancel);

public sealed record JobDetail(JobRow Job, string? FullError, string SourcePath, string Origin, IReadOnlyList<EventRow> Events, OutputView? Outputs);

public sealed record EventRow(DateTimeOffset At, string State, string? Worker, string? Message);

public sealed record OutputView(
    string Asset, string Hls, string? Dash, double DurationSeconds, int Objects, long Bytes, int Generation, string? AliasOf, string? SourceScan,
    IReadOnlyList<string> Notes, IReadOnlyList<RenditionView> Renditions, IReadOnlyList<MatchView> Matches);

public sealed record RenditionView(string Name, string Kind, int? Width, int? Height, int BitrateKbps, string Codec, string? Colour);

public sealed record MatchView(string Collection, string Entry, string Name, string Kind, double Score, double OffsetSeconds, double MatchedSeconds);

public sealed record WorkerRow(
    string Id, string Host, IReadOnlyList<string> Capabilities, int Slots, string Version, DateTimeOffset Started, DateTimeOffset Heartbeat,
    double HeartbeatAgeSeconds, bool Alive);

public sealed record DrmView(string Scheme, IReadOnlyList<string> Systems, string? KeySet);

public sealed record AssetRow(
    string Asset, string State, int Generation, long ChangeSeq, DateTimeOffset Changed, bool RequireToken, string? Reason, string? Job,
    string? Source, DrmView? Drm, OutputView? Outputs);
