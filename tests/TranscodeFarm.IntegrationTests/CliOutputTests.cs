using TranscodeFarm.Cli;
using TranscodeFarm.IntegrationTests.Infrastructure;

namespace TranscodeFarm.IntegrationTests;

/// <summary>What the CLI prints for people and for scripts: examples under every --help that really parse, tables as wide
/// as the terminal (or COLUMNS), tab-separated lines when piped.</summary>
public sealed class CliOutputTests
{
    [Fact]
    public void Every_command_has_examples_and_every_example_parses()
    {
        var root = CliRoot.Create();
        var commands = HelpExamples.Walk(root, "").ToList();
        Assert.True(commands.Count > 30, $"{commands.Count} commands");
        foreach (var (path, command) in commands)
        {
            Assert.True(HelpExamples.ByCommand.TryGetValue(path, out var examples) && examples.Length > 0, $"'{path}' has no examples");
            Assert.Contains(HelpExamples.Heading, command.Description);
            foreach (var example in examples)
            {
                Assert.StartsWith("transcodefarm ", example + " ");
                // What a shell would pass: the words before any pipe or redirection.
                var words = example.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).TakeWhile(w => w is not ("|" or ">")).ToArray();
                Assert.True(string.Join(' ', words).StartsWith(path, StringComparison.Ordinal), $"'{example}' is not an example of '{path}'");
                var parsed = root.Parse(words);
                Assert.True(parsed.Errors.Count == 0, $"'{example}': {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
            }
        }

        Assert.Empty(HelpExamples.ByCommand.Keys.Except(commands.Select(c => c.Path))); // no examples of a command that is gone
    }

    [Fact]
    public async Task Help_shows_the_examples()
    {
        var help = await Tools.CliAsync(null, "jobs", "list", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Examples:", help.Stdout);
        Assert.Contains("transcodefarm jobs list --state failed", help.Stdout);
    }

    [Fact]
    public async Task A_piped_table_is_one_tab_separated_record_per_line()
    {
        var list = await Tools.CliAsync(null, "profiles", "list");
        Assert.Equal(0, list.ExitCode);
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("name\trenditions\tsegment\tdescription", lines[0]);
        var tiny = lines.Single(l => l.StartsWith("test-tiny\t", StringComparison.Ordinal)).Split('\t');
        Assert.Equal(4, tiny.Length);
        Assert.DoesNotContain("─", list.Stdout); // no box drawing for scripts
        Assert.DoesNotContain("│", list.Stdout);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(200)]
    public async Task On_a_terminal_the_table_fits_COLUMNS(int columns)
    {
        // `script` gives the command a pseudo-terminal, as an operator's shell would. The command line is a constant.
        var r = await Tools.RunAsync("script", ["-qec", $"dotnet {Tools.CliDll} profiles list", "/dev/null"],
            new Dictionary<string, string> { ["COLUMNS"] = columns.ToString(System.Globalization.CultureInfo.InvariantCulture), ["TERM"] = "xterm" },
            TimeSpan.FromMinutes(1));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var plain = System.Text.RegularExpressions.Regex.Replace(r.Stdout, "\u001b(\\[[0-9;?]*[A-Za-z]|[^\\[])", "");
        var tableLines = plain.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains('│') || l.Contains('─')).ToList();
        Assert.NotEmpty(tableLines);
        var widest = tableLines.Max(l => l.Length);
        Assert.True(widest <= columns, $"a line of {widest} characters on a {columns}-column terminal:\n{plain}");
        if (columns > 80)
        {
            Assert.True(widest > 80, $"the table stayed within 80 columns on a {columns}-column terminal:\n{plain}");
        }
    }
}
