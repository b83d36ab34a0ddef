using System.Globalization;

namespace TranscodeFarm.Core.Ffmpeg;

/// <summary>
/// Incremental parser for ffmpeg's <c>-progress</c> key=value stream: feed it lines, it returns a
/// snapshot each time a block ends with <c>progress=continue|end</c>.
/// </summary>
public sealed class ProgressParser
{
    private TimeSpan _outTime;
    private double? _speed;
    private long _frame;

    /// <summary>A "key=value" line of the -progress stream (lower-case key, no spaces): not an error message.</summary>
    public static bool IsProgressLine(string line)
    {
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && line.AsSpan(0, eq).IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789_") < 0;
    }

    public FfmpegProgress? Feed(ReadOnlySpan<char> line)
    {
        var eq = line.IndexOf('=');
        if (eq <= 0)
        {
            return null;
        }

        var key = line[..eq].Trim();
        var value = line[(eq + 1)..].Trim();
        switch (key)
        {
            case "out_time_us" or "out_time_ms": // both are microseconds in ffmpeg (out_time_ms is misnamed)
                if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) && us >= 0)
                {
                    _outTime = TimeSpan.FromMicroseconds(us);
                }

                break;
            case "frame":
                _ = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _frame);
                break;
            case "speed":
                var x = value.TrimEnd('x').Trim();
                _speed = double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var sp) ? sp : null;
                break;
            case "progress":
                return new FfmpegProgress(_outTime, _speed, _frame, value.SequenceEqual("end"));
        }

        return null;
    }
}
