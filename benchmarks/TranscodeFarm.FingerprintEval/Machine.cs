namespace TranscodeFarm.FingerprintEval;

internal static class Machine
{
    /// <summary>The 1/5/15-minute load averages: timings taken while other work runs on the machine are not comparable.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
