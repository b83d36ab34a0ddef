using TranscodeFarm.Media;

namespace TranscodeFarm.FingerprintEval;

/// <summary>Runs a program with an argument list (never through a shell) and fails loudly with its stderr.</summary>
internal sealed class Tool(ProcessRunner runner)
{
    public ProcessRunner Runner => runner;

    public async Task RunAsync(string program, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec(program, args, timeout), new ProcessIo(), cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{program} failed ({result.Outcome}, exit {result.ExitCode}): {result.StderrTail}");
        }
    }

    /// <summary>Runs the program and returns its stdout lines; null when it fails.</summary>
    public async Task<List<string>?> LinesAsync(string program, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var result = await runner.RunAsync(new ProcessSpec(program, args, timeout), line =>
        {
            lines.Add(line);
            return ValueTask.CompletedTask;
        }, cancellationToken);
        return result.Succeeded ? lines : null;
    }

    /// <summary>Whether a program is on PATH (e.g. espeak-ng, taskset).</summary>
    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>Writes to <c>name.part.ext</c> and renames when done, so a killed run never leaves a file that looks finished.</summary>
    public static string PartPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".part" + Path.GetExtension(path));
}
