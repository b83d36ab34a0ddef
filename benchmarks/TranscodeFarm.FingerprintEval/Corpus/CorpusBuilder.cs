using System.Diagnostics;
using System.Globalization;

namespace TranscodeFarm.FingerprintEval.Corpus;

/// <summary>
/// Makes the originals and their transformed copies with ffmpeg, <c>jobs</c> processes at a time. Files already there
/// are reused (they are written under a .part name and renamed when complete), so a second run starts at once.
/// </summary>
internal sealed class CorpusBuilder(Tool tool, string directory, double seconds, int jobs)
{
    /// <summary>Bump when what a source or a transformation makes changes, so old files are not reused.</summary>
    private const string Version = "v3";

    public string Directory { get; } = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Version}-{seconds:0.#}s"));

    public string WorkDirectory => Path.Combine(Directory, "work");

    public int Made { get; private set; }

    public int Reused { get; private set; }

    public async Task<(List<Original> Originals, List<Copy> Copies, double Seconds)> BuildAsync(
        IReadOnlyList<SourceSpec> sources, IReadOnlyList<Transformation> transformations, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        foreach (var sub in new[] { "originals", "copies", "negatives", "work" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, sub));
        }

        await SpeakAsync(sources, cancellationToken);
        var originals = sources.Select(s => new Original(s, Path.Combine(Directory, "originals", s.Name + ".mp4"))).ToList();
        await ForEachAsync(originals, o => o.Path, (o, part) => o.Spec.Arguments(seconds, part), cancellationToken);

        var copies = originals.SelectMany(o => transformations.Select(t => new Copy(o, t, Path.Combine(Directory, "copies", $"{o.Spec.Name}__{t.Name}{t.Extension}")))).ToList();
        await ForEachAsync(copies, c => c.Path, (c, part) => c.Transformation.Arguments(c.Original.Path, part), cancellationToken);
        return (originals, copies, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Makes the hard negatives (<see cref="HardNegatives"/>), reusing files already there.</summary>
    public async Task<List<Negative>> BuildNegativesAsync(IReadOnlyList<NegativeSpec> specs, CancellationToken cancellationToken)
    {
        await SpeakAsync(specs.Select(s => s.Source), cancellationToken);
        var negatives = specs.Select(s => new Negative(s, Path.Combine(Directory, "negatives", s.Source.Name + ".mp4"))).ToList();
        await ForEachAsync(negatives, n => n.Path, (n, part) => n.Spec.Source.Arguments(seconds, part), cancellationToken);
        return negatives;
    }

    private async Task SpeakAsync(IEnumerable<SourceSpec> sources, CancellationToken cancellationToken)
    {
        foreach (var speech in sources.Select(s => s.Audio).OfType<SpeechAudio>().DistinctBy(s => s.WavPath).Where(s => !File.Exists(s.WavPath)))
        {
            var part = Tool.PartPath(speech.WavPath);
            await tool.RunAsync("espeak-ng", ["-v", speech.Voice, "-s", speech.WordsPerMinute.ToString(CultureInfo.InvariantCulture), "-w", part, "--", speech.Text], TimeSpan.FromMinutes(1), cancellationToken);
            File.Move(part, speech.WavPath, overwrite: true);
        }
    }

    private async Task ForEachAsync<T>(List<T> items, Func<T, string> pathOf, Func<T, string, IReadOnlyList<string>> argumentsFor, CancellationToken cancellationToken)
    {
        var todo = items.Where(i => !File.Exists(pathOf(i))).ToList();
        Reused += items.Count - todo.Count;
        var done = 0;
        await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var path = pathOf(item);
            var part = Tool.PartPath(path);
            await tool.RunAsync("ffmpeg", argumentsFor(item, part), TimeSpan.FromMinutes(10), ct);
            File.Move(part, path, overwrite: true);
            Console.Error.WriteLine($"  made {Path.GetFileName(path)} ({Interlocked.Increment(ref done)}/{todo.Count})");
        });
        Made += todo.Count;
    }
}
