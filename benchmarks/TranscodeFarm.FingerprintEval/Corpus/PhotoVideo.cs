namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>
/// A slideshow of photographs, each panned or zoomed ("Ken Burns") for an equal share of the length, with hard cuts
/// between them; one shot gives a single continuous move (no cut to place an excerpt by).
/// </summary>
internal sealed record PhotoVideo(IReadOnlyList<PhotoShot> Shots) : VideoSpec
{
    public override (IReadOnlyList<string> Inputs, string Graph) Build(double seconds, int firstInput)
    {
        var inputs = new List<string>();
        var graph = new List<string>();
        var frames = (int)Math.Round(seconds * Rate / Shots.Count);
        for (var i = 0; i < Shots.Count; i++)
        {
            inputs.AddRange(["-i", "file:" + Shots[i].File]);
            // Scale once to 1080p 16:9, repeat that frame, then let zoompan cut and scale a moving window out of it.
            graph.Add(Fmt($"[{firstInput + i}:v]scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080,setsar=1,")
                + Fmt($"loop=loop={frames - 1}:size=1:start=0,zoompan={Zoompan(Shots[i].Motion, frames)}:d=1:s={Width}x{Height}:fps={Rate}[p{i}]"));
        }

        graph.Add(string.Concat(Enumerable.Range(0, Shots.Count).Select(i => $"[p{i}]"))
            + Fmt($"concat=n={Shots.Count}:v=1:a=0,setsar=1,format=yuv420p[v]"));
        return (inputs, string.Join(';', graph));
    }

    private static string Zoompan(Motion motion, int frames)
    {
        var p = Fmt($"on/{frames}");
        return motion switch
        {
            Motion.ZoomIn => $"z='1+0.5*{p}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'",
            Motion.ZoomOut => $"z='1.6-0.5*{p}':x='(iw-iw/zoom)*0.3':y='(ih-ih/zoom)*0.6'",
            Motion.PanRight => $"z='1.4':x='(iw-iw/zoom)*{p}':y='(ih-ih/zoom)/2'",
            Motion.PanLeft => $"z='1.3+0.1*{p}':x='(iw-iw/zoom)*(1-{p})':y='(ih-ih/zoom)*0.4'",
            Motion.Drift => $"z='1+0.03*{p}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'",
            Motion.PanUp => $"z='1.2':x='(iw-iw/zoom)*0.7':y='(ih-ih/zoom)*(1-{p})'",
            _ => $"z='1.5':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)*{p}'",
        };
    }
}
