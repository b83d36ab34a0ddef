namespace TranscodeFarm.Core.Health;

/// <summary>The last result of one background check: what it said and when it finished; <see cref="CheckedAt"/> is null
/// until it has run once.</summary>
public sealed record CheckRecord(CheckStatus Status, string Reason, DateTimeOffset? CheckedAt)
{
    public static CheckRecord NotYet { get; } = new(CheckStatus.Unhealthy, "not checked yet", null);
}
