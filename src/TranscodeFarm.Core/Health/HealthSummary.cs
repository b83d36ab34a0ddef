using System.Globalization;

namespace TranscodeFarm.Core.Health;

/// <summary>One check as <c>/healthz</c> shows it.</summary>
public sealed record CheckView(CheckStatus Status, string Reason, double? CheckedAgoSeconds);

/// <summary>
/// What <c>/healthz</c> answers, made from the last records of the background checks (pure: no clock, no IO). The farm is as
/// healthy as its worst check; a record older than <see cref="StaleAfter"/> counts as unhealthy, since a check that stopped
/// reporting says nothing about now.
/// </summary>
public sealed record HealthSummary(CheckStatus Status, IReadOnlyDictionary<string, CheckView> Checks)
{
    /// <summary>How many intervals a result may miss (a slow run, a loaded host) before it is stale.</summary>
    public const int MissedIntervals = 3;

    /// <summary>A check runs every <paramref name="interval"/> and may take up to <paramref name="timeout"/>: its result is
    /// stale once it is older than the timeout plus <see cref="MissedIntervals"/> intervals.</summary>
    public static TimeSpan StaleAfter(TimeSpan interval, TimeSpan timeout) => timeout + interval * MissedIntervals;

    /// <summary>HTTP 200 for healthy and degraded (serving), 503 for unhealthy.</summary>
    public bool Serving => Status != CheckStatus.Unhealthy;

    public static HealthSummary Of(IEnumerable<KeyValuePair<string, CheckRecord>> records, DateTimeOffset now, TimeSpan staleAfter)
    {
        var checks = new SortedDictionary<string, CheckView>(StringComparer.Ordinal);
        var worst = CheckStatus.Healthy;
        foreach (var (name, record) in records)
        {
            var view = View(record, now, staleAfter);
            checks[name] = view;
            worst = view.Status > worst ? view.Status : worst;
        }

        return new HealthSummary(worst, checks);
    }

    /// <summary>One check as it stands at <paramref name="now"/>: its record, or unhealthy when the record is stale.</summary>
    public static CheckView View(CheckRecord record, DateTimeOffset now, TimeSpan staleAfter)
    {
        if (record.CheckedAt is not { } at)
        {
            return new CheckView(record.Status, record.Reason, null);
        }

        var age = now - at;
        var seconds = Math.Round(Math.Max(age.TotalSeconds, 0), 1);
        return age > staleAfter
            ? new CheckView(CheckStatus.Unhealthy, string.Create(CultureInfo.InvariantCulture, $"stale: last checked {seconds:0} s ago (was {Name(record.Status)}: {record.Reason})"), seconds)
            : new CheckView(record.Status, record.Reason, seconds);
    }

    /// <summary>The lower-case word JSON and logs use.</summary>
    public static string Name(CheckStatus status) => status switch
    {
        CheckStatus.Healthy => "healthy",
        CheckStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
