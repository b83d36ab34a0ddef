using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace TranscodeFarm.Cli;

/// <summary>
/// How commands print lists and JSON, once: a table as wide as the terminal (or <c>COLUMNS</c> when set) for people, and
/// plain tab-separated lines when the output is piped or redirected, so <c>cut</c>, <c>awk</c> and <c>sort</c> get one
/// record per line whatever the widths; JSON with enum names, never numbers.
/// </summary>
public static class CliOutput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void WriteJson<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Cells are plain text (no markup); <paramref name="styles"/> optionally colours a column's cells on a terminal
    /// (Spectre style names by cell value, e.g. alive → green).</summary>
    public static void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, Func<int, string, string?>? styles = null)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine(TabSeparated(headers));
            foreach (var row in rows)
            {
                Console.Out.WriteLine(TabSeparated(row));
            }

            return;
        }

        var table = new Table().AddColumns(headers.Select(h => new TableColumn(Markup.Escape(h))).ToArray());
        foreach (var row in rows)
        {
            table.AddRow(row.Select((cell, column) => styles?.Invoke(column, cell) is { } style
                ? $"[{style}]{Markup.Escape(cell)}[/]" : Markup.Escape(cell)).ToArray());
        }

        var console = AnsiConsole.Console;
        if (TerminalWidth() is { } width)
        {
            console.Profile.Width = width;
        }

        console.Write(table);
    }

    /// <summary><c>COLUMNS</c> when it holds a sensible width, else null (Spectre then asks the terminal).</summary>
    public static int? TerminalWidth() =>
        int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns)
        && columns is >= 20 and <= 1000 ? columns : null;

    /// <summary>One record per line: a tab, CR or LF inside a cell becomes a space, so the line stays one record.</summary>
    public static string TabSeparated(IEnumerable<string> cells) =>
        string.Join('\t', cells.Select(c => c.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ')));
}
