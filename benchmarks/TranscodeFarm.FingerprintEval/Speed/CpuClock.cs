using System.Globalization;

namespace TranscodeFarm.FingerprintEval.Speed;

/// <summary>
/// CPU seconds used by this process and by its children that have exited (ffprobe, ffmpeg), from /proc/self/stat.
/// Unlike wall time it does not grow when other work shares the core, so it gives the speed of a dedicated core.
/// </summary>
internal static class CpuClock
{
    /// <summary>sysconf(_SC_CLK_TCK): 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Self + reaped children, in seconds; NaN where /proc is not there.</summary>
    public static double Seconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return double.NaN;
        }

        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): the 12th to
        // 15th of those are utime, stime, cutime, cstime.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
