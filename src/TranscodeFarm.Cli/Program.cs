using System.CommandLine;
using Microsoft.Extensions.Options;
using TranscodeFarm.Cli;
using TranscodeFarm.Cli.Commands;

var root = CliRoot.Create();

try
{
    // Hosts handle SIGTERM/Ctrl-C themselves (graceful job shutdown), so System.CommandLine must not kill the process.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (CliException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine("configuration error: " + string.Join("; ", ex.Failures));
    return 2;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("Farm:", StringComparison.Ordinal) || ex.Message.Contains("Queue:", StringComparison.Ordinal) || ex.Message.Contains("Drm:", StringComparison.Ordinal) || ex.Message.Contains("Store:", StringComparison.Ordinal) || ex.Message.StartsWith("invalid profiles", StringComparison.Ordinal))
{
    Console.Error.WriteLine("configuration error: " + ex.Message);
    return 2;
}
catch (Npgsql.NpgsqlException ex)
{
    Console.Error.WriteLine("queue database error: " + ex.Message);
    return 2;
}
catch (OperationCanceledException)
{
    return 130;
}
catch (Exception ex)
{
    // A bug or an unexpected environment problem: the whole exception helps more than a one-liner.
    Console.Error.WriteLine("error: " + ex);
    return 1;
}
